//! Paths longer than the kernel takes in one call (PATH_MAX, 4096 bytes on Linux), as a
//! 2,000-deep evidence folder has: they are opened a piece at a time, each piece relative to
//! the directory the previous one opened (`openat`), so no file is lost to "File name too
//! long". Used only when the ordinary call fails that way.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{openat, Dir, Mode, OFlags, CWD};

/// The most bytes of path handed to the kernel at once.
const PIECE: usize = 2048;

/// Whether an error is the kernel refusing a path for its length.
pub fn too_long(err: &io::Error) -> bool {
    err.raw_os_error() == Some(rustix::io::Errno::NAMETOOLONG.raw_os_error())
}

/// Opens `path` with `flags`, a piece at a time: the path's bytes are cut at slashes into
/// pieces of at most [`PIECE`] bytes.
fn open(path: &Path, flags: OFlags) -> io::Result<OwnedFd> {
    let bytes = path.as_os_str().as_bytes();
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut dir: Option<OwnedFd> = None;
    let mut start = 0;
    while start < bytes.len() {
        let rest = &bytes[start..];
        let (piece, next) = if rest.len() <= PIECE {
            (rest, bytes.len())
        } else {
            // The last slash within the piece (a name longer than that cannot be opened).
            let cut = memchr::memrchr(b'/', &rest[..PIECE])
                .filter(|&i| i > 0)
                .ok_or_else(|| io::Error::from(rustix::io::Errno::NAMETOOLONG))?;
            (&rest[..cut], start + cut + 1)
        };
        let piece_flags = if next >= bytes.len() {
            flags
        } else {
            dir_flags
        };
        let opened = match &dir {
            None => openat(CWD, piece, piece_flags, Mode::empty()),
            Some(fd) => openat(fd, piece, piece_flags, Mode::empty()),
        };
        dir = Some(opened.map_err(io::Error::from)?);
        start = next;
    }
    dir.ok_or_else(|| io::Error::other("empty path"))
}

/// Opens a file for reading.
pub fn open_file(path: &Path) -> io::Result<fs::File> {
    open(path, OFlags::RDONLY | OFlags::CLOEXEC).map(fs::File::from)
}

/// The metadata of `path` (following links, as `fs::metadata` does).
pub fn metadata(path: &Path) -> io::Result<fs::Metadata> {
    open(path, OFlags::PATH | OFlags::CLOEXEC)
        .map(fs::File::from)?
        .metadata()
}

/// The entries of the directory `path`, as paths under it.
pub fn read_dir(path: &Path) -> io::Result<Vec<PathBuf>> {
    let fd = open(path, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC)?;
    let mut dir = Dir::read_from(&fd).map_err(io::Error::from)?;
    let mut out = Vec::new();
    while let Some(entry) = dir.read() {
        let entry = entry.map_err(io::Error::from)?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            out.push(path.join(OsStr::from_bytes(name)));
        }
    }
    Ok(out)
}
