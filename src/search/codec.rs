//! The compact binary encoding of the index: LEB128 varints and length-prefixed UTF-8, with a
//! reader that reports truncation and bad data instead of panicking.

use super::SearchError;

#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn varint(&mut self, mut v: u32) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.bytes.push(b);
                return;
            }
            self.bytes.push(b | 0x80);
        }
    }

    pub fn str(&mut self, s: &str) {
        self.varint(s.len() as u32);
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub fn u8(&mut self) -> Result<u8, SearchError> {
        let b = *self.bytes.get(self.pos).ok_or(SearchError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], SearchError> {
        let end = self.pos.checked_add(n).ok_or(SearchError::Truncated)?;
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or(SearchError::Truncated)?;
        self.pos = end;
        Ok(slice)
    }

    pub fn varint(&mut self) -> Result<u32, SearchError> {
        let mut v: u32 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            v |= u32::from(b & 0x7f)
                .checked_shl(shift)
                .ok_or(SearchError::Corrupt("varint"))?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(SearchError::Corrupt("varint"))
    }

    /// A count that cannot exceed what is left to read (each counted thing takes a byte or more),
    /// so a corrupt count cannot make us allocate gigabytes.
    pub fn count(&mut self) -> Result<usize, SearchError> {
        let n = self.varint()? as usize;
        if n > self.bytes.len() - self.pos.min(self.bytes.len()) {
            return Err(SearchError::Corrupt("count"));
        }
        Ok(n)
    }

    pub fn str(&mut self) -> Result<&'a str, SearchError> {
        let n = self.varint()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| SearchError::Corrupt("utf-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_strings_round_trip() {
        let mut w = Writer::default();
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            w.varint(v);
        }
        w.str("党建");
        let mut r = Reader::new(&w.bytes);
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            assert_eq!(r.varint().unwrap(), v);
        }
        assert_eq!(r.str().unwrap(), "党建");
        assert!(r.at_end());
        assert_eq!(r.u8(), Err(SearchError::Truncated));
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(Reader::new(&[0xff; 6]).varint().is_err());
        assert!(Reader::new(&[5, b'a']).str().is_err());
        assert!(Reader::new(&[0xff, 0xff, 0x03]).count().is_err());
        assert!(Reader::new(&[2, 0xff, 0xfe]).str().is_err());
    }
}
