//! The places the explorer has been (the selected event and the filter), walked back and
//! forth with Ctrl-O / Ctrl-I as in vim: a place is remembered before each jump (a filter
//! change, a pivot, `p`, `P`, `o`, `g` / `G`, a hit or mark jump).

/// Where the explorer was: the filter applied and the event selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub filter: String,
    pub row: Option<u32>,
}

/// Places before the current one, and after it once Ctrl-O went back.
#[derive(Debug, Default)]
pub struct Jumps {
    places: Vec<Place>,
    /// Index into `places` of where Ctrl-O / Ctrl-I stand; `places.len()` when at the
    /// newest.
    at: usize,
}

/// The list keeps this many places.
const KEEP: usize = 100;

impl Jumps {
    /// Remembers `here` before a jump; places ahead of a walk back are dropped, as in vim.
    pub fn push(&mut self, here: Place) {
        self.places.truncate(self.at);
        if self.places.last() != Some(&here) {
            self.places.push(here);
        }
        if self.places.len() > KEEP {
            self.places.remove(0);
        }
        self.at = self.places.len();
    }

    /// The place before `here`, if any; `here` is kept so Ctrl-I can return to it.
    pub fn back(&mut self, here: Place) -> Option<Place> {
        if self.at >= self.places.len() {
            // At the newest place: remember it (once) as where Ctrl-I returns to.
            if self.places.last() != Some(&here) {
                self.places.push(here);
            }
            self.at = self.places.len() - 1;
        }
        if self.at == 0 {
            return None;
        }
        self.at -= 1;
        self.places.get(self.at).cloned()
    }

    /// The place after the current one, after Ctrl-O went back.
    pub fn forward(&mut self) -> Option<Place> {
        if self.at + 1 >= self.places.len() {
            return None;
        }
        self.at += 1;
        self.places.get(self.at).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(n: u32) -> Place {
        Place {
            filter: format!("f{n}"),
            row: Some(n),
        }
    }

    #[test]
    fn back_and_forth_as_in_vim() {
        let mut jumps = Jumps::default();
        assert_eq!(jumps.back(place(0)), None);
        jumps.push(place(1));
        jumps.push(place(2));
        // Now at 3: back to 2, to 1, no further; forward to 2, to 3, no further.
        assert_eq!(jumps.back(place(3)), Some(place(2)));
        assert_eq!(jumps.back(place(2)), Some(place(1)));
        assert_eq!(jumps.back(place(1)), None);
        assert_eq!(jumps.forward(), Some(place(2)));
        assert_eq!(jumps.forward(), Some(place(3)));
        assert_eq!(jumps.forward(), None);
        // A new jump from the middle drops what was ahead.
        assert_eq!(jumps.back(place(3)), Some(place(2)));
        jumps.push(place(2));
        assert_eq!(jumps.forward(), None);
        assert_eq!(jumps.back(place(4)), Some(place(2)));
    }
}
