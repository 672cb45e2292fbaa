//! The files the product writes (the saved index, the case file, exports): each is written
//! whole into a new temporary file beside its place and renamed over it, so a reader never
//! sees half of one and a failed write leaves what was there. The temporary file is
//! created new (`O_EXCL`: never through a link planted at its name, never over another
//! file) and private to the user (0600); a folder made for them is private too (0700).

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Creates `path` as a new file only the user can read and write; an existing file or
/// link at that name is an error.
pub fn create_new_private(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

/// Makes `dir` (and its parents) where it is missing; the folders it makes are private.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// The temporary file `path` is written through: a name of this process's own beside it
/// (`path.PID.tmp`, or `path.PID.N.tmp` for the `attempt` N after the first).
pub fn temporary_of(path: &Path, attempt: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    match attempt {
        0 => name.push(format!(".{}.tmp", std::process::id())),
        n => name.push(format!(".{}.{n}.tmp", std::process::id())),
    }
    PathBuf::from(name)
}

/// How many temporary names a write tries when something already has the name.
const ATTEMPTS: u32 = 64;

/// Creates the temporary file for `path`: the first of its names ([`temporary_of`]) that
/// nothing has yet (a file or a link planted there is left alone, never written through).
fn create_temporary(path: &Path) -> io::Result<(PathBuf, fs::File)> {
    let mut last = None;
    for attempt in 0..ATTEMPTS {
        let temporary = temporary_of(path, attempt);
        match create_new_private(&temporary) {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary name")))
}

/// Writes `path` whole: `write` fills a new private temporary file beside it, which is
/// then renamed over `path`. On any failure the temporary file is removed and `path` is as
/// it was.
pub fn write_whole<W>(
    path: &Path,
    wrap: impl FnOnce(fs::File) -> W,
    write: impl FnOnce(&mut W) -> io::Result<()>,
) -> io::Result<()>
where
    W: Write,
{
    let (temporary, file) = create_temporary(path)?;
    let result = (|| {
        let mut out = wrap(file);
        write(&mut out)?;
        out.flush()?;
        drop(out);
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Opens `path` for reading only when it is a regular file of at most `max` bytes: a
/// FIFO, a device, a folder or a socket is refused before anything is read from it (the
/// open itself does not wait: `O_NONBLOCK`), and so is a file larger than `max`.
pub fn open_regular(path: &Path, max: u64) -> io::Result<(fs::File, u64)> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if meta.len() > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} bytes, more than the {max} it may have", meta.len()),
        ));
    }
    // Back to blocking reads: a regular file never waits anyway.
    rustix::fs::fcntl_setfl(&file, rustix::fs::OFlags::empty())?;
    Ok((file, meta.len()))
}

/// The whole of `path`, read only when it is a regular file of at most `max` bytes
/// ([`open_regular`]).
pub fn read_regular(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, len) = open_regular(path, max)?;
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grew since is read no further than `max`.
    file.take(max).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The hex digits of a saved index's name.
pub const INDEX_KEY_LEN: usize = 24;

/// What trailscope names the files it writes in the index folder: `KEY.idx`, and while one
/// is written `KEY.idx.PID.tmp` or `KEY.idx.PID.N.tmp` (KEY: 24 hex digits). `Some(false)`
/// for an index, `Some(true)` for a temporary file, `None` for any other name: nothing
/// else there is trailscope's, and no file of these names is ever an input.
pub fn index_name(name: &str) -> Option<bool> {
    let (key, rest) = name.split_at_checked(INDEX_KEY_LEN)?;
    if !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    if rest == ".idx" {
        return Some(false);
    }
    let middle = rest.strip_prefix(".idx.")?.strip_suffix(".tmp")?;
    let numbers = middle.split('.').collect::<Vec<_>>();
    let all_digits = |n: &&str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    (numbers.len() <= 2 && numbers.iter().all(all_digits)).then_some(true)
}

/// trailscope's folder in one of the user's XDG base directories: `$VAR/trailscope` when
/// `$VAR` is an absolute path, else `~/{fallback}/trailscope`; `None` without a home.
pub fn user_dir(var: &str, fallback: &str) -> Option<std::path::PathBuf> {
    std::env::var_os(var)
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(fallback)))
        .map(|base| base.join("trailscope"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_planted_at_the_temporary_name_is_never_written_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("victim");
        fs::write(&target, "keep").expect("write");
        let path = dir.path().join("out.json");
        for attempt in 0..3 {
            std::os::unix::fs::symlink(&target, temporary_of(&path, attempt)).expect("link");
        }
        write_whole(&path, |f| f, |f| f.write_all(b"data")).expect("another name is taken");
        assert_eq!(fs::read_to_string(&target).expect("read"), "keep");
        assert_eq!(fs::read_to_string(&path).expect("read"), "data");
        // The links are left as they were.
        assert!(fs::symlink_metadata(temporary_of(&path, 0)).is_ok());
    }

    #[test]
    fn only_regular_files_are_read_and_within_their_bound() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .expect("mkfifo");
        let refused = |p: &Path| read_regular(p, 1 << 20).expect_err("refused").to_string();
        assert_eq!(refused(&fifo), "not a regular file");
        assert_eq!(refused(dir.path()), "not a regular file");
        assert_eq!(refused(Path::new("/dev/zero")), "not a regular file");
        let big = dir.path().join("big");
        fs::write(&big, vec![b'x'; 100]).expect("write");
        assert_eq!(
            read_regular(&big, 99).expect_err("too large").to_string(),
            "100 bytes, more than the 99 it may have"
        );
        assert_eq!(read_regular(&big, 100).expect("read").len(), 100);
    }

    #[test]
    fn what_is_written_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("made/here");
        create_private_dir(&folder).expect("mkdir");
        let path = folder.join("index");
        write_whole(&path, |f| f, |f| f.write_all(b"data")).expect("write");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(fs::read_to_string(&path).expect("read"), "data");
    }
}
