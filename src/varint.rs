//! The one binary codec under the search index and the assignment and receipt codes: unsigned
//! LEB128 varints (7 bits a byte, low bits first, the high bit set on every byte but the last)
//! and strings as a varint byte length followed by their UTF-8.
//!
//! The reader only accepts the shortest form of a value, and no value wider than asked for, so
//! every value has exactly one encoding and a corrupt one is an error rather than a different
//! number. It never panics and never allocates on the strength of a length it has read.

/// Why bytes could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The bytes ended inside a value.
    Truncated,
    /// A varint wider than the value it encodes (more than 32 or 64 bits).
    Overflow,
    /// A varint longer than it needs to be (a last byte of zero after others).
    Overlong,
    /// A string that is not UTF-8.
    Utf8,
    /// A count larger than the bytes left could hold.
    Count,
}

/// Bytes being written.
#[derive(Clone, Debug, Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// `v` as an unsigned LEB128 varint, in its shortest form.
    ///
    /// ```
    /// let mut w = portal::varint::Writer::default();
    /// w.varint(300u32);
    /// w.varint(0u64);
    /// assert_eq!(w.bytes, [0xac, 0x02, 0x00]);
    /// ```
    pub fn varint(&mut self, v: impl Into<u64>) {
        let mut v = v.into();
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    /// `s` as its byte length (a varint), then its UTF-8.
    pub fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

/// Bytes being read, from the start.
#[derive(Clone, Debug)]
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

    /// How many bytes have been read.
    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub fn u8(&mut self) -> Result<u8, ReadError> {
        let b = *self.bytes.get(self.pos).ok_or(ReadError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self.pos.checked_add(n).ok_or(ReadError::Truncated)?;
        let slice = self.bytes.get(self.pos..end).ok_or(ReadError::Truncated)?;
        self.pos = end;
        Ok(slice)
    }

    /// A varint of at most `bits` bits (32 or 64), in its shortest form.
    fn varint(&mut self, bits: u32) -> Result<u64, ReadError> {
        let most = bits.div_ceil(7);
        let mut v: u64 = 0;
        for i in 0..most {
            let b = self.u8()?;
            let last = i + 1 == most;
            // The last byte a `bits`-bit value may take carries only its top bits.
            if last && u64::from(b) >> (bits - 7 * i) != 0 {
                return Err(ReadError::Overflow);
            }
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                if i > 0 && b == 0 {
                    return Err(ReadError::Overlong);
                }
                return Ok(v);
            }
        }
        Err(ReadError::Overflow)
    }

    /// A varint of at most 32 bits.
    ///
    /// ```
    /// use portal::varint::{ReadError, Reader};
    /// assert_eq!(Reader::new(&[0xac, 0x02]).varint_u32(), Ok(300));
    /// assert_eq!(Reader::new(&[0x80, 0x00]).varint_u32(), Err(ReadError::Overlong));
    /// assert_eq!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x1f]).varint_u32(), Err(ReadError::Overflow));
    /// assert_eq!(Reader::new(&[0x80]).varint_u32(), Err(ReadError::Truncated));
    /// ```
    pub fn varint_u32(&mut self) -> Result<u32, ReadError> {
        self.varint(32).map(|v| v as u32)
    }

    /// A varint of at most 64 bits.
    pub fn varint_u64(&mut self) -> Result<u64, ReadError> {
        self.varint(64)
    }

    /// A count (a 32-bit varint) that cannot exceed what is left to read (each counted thing
    /// takes a byte or more), so a corrupt count cannot make the caller allocate gigabytes.
    pub fn count(&mut self) -> Result<usize, ReadError> {
        let n = self.varint_u32()? as usize;
        if n > self.remaining() {
            return Err(ReadError::Count);
        }
        Ok(n)
    }

    /// A string written by [`Writer::str`].
    pub fn str(&mut self) -> Result<&'a str, ReadError> {
        let n = usize::try_from(self.varint_u64()?).map_err(|_| ReadError::Truncated)?;
        std::str::from_utf8(self.take(n)?).map_err(|_| ReadError::Utf8)
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
        for v in [1_795_737_600_000, u64::MAX] {
            w.varint(v);
        }
        w.str("党建");
        let mut r = Reader::new(&w.bytes);
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            assert_eq!(r.varint_u32(), Ok(v));
        }
        for v in [1_795_737_600_000, u64::MAX] {
            assert_eq!(r.varint_u64(), Ok(v));
        }
        assert_eq!(r.str(), Ok("党建"));
        assert!(r.at_end());
        assert_eq!(r.u8(), Err(ReadError::Truncated));
    }

    /// The bytes of known values: the formats of codes already handed out and of indexes already
    /// built depend on them.
    #[test]
    fn the_encoding_is_standard_leb128() {
        let cases: [(u64, &[u8]); 6] = [
            (0, &[0x00]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (624_485, &[0xe5, 0x8e, 0x26]),
            (u64::from(u32::MAX), &[0xff, 0xff, 0xff, 0xff, 0x0f]),
            (
                u64::MAX,
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ];
        for (v, bytes) in cases {
            let mut w = Writer::default();
            w.varint(v);
            assert_eq!(w.bytes, bytes, "{v}");
            assert_eq!(Reader::new(bytes).varint_u64(), Ok(v));
        }
    }

    #[test]
    fn only_the_shortest_form_of_a_value_that_fits_is_read() {
        for bad in [&[0x80, 0x00][..], &[0xff, 0x80, 0x00][..]] {
            assert_eq!(Reader::new(bad).varint_u64(), Err(ReadError::Overlong));
        }
        for bad in [
            &[0xff; 11][..],
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02][..],
        ] {
            assert_eq!(Reader::new(bad).varint_u64(), Err(ReadError::Overflow));
        }
        for bad in [&[0xff; 6][..], &[0xff, 0xff, 0xff, 0xff, 0x10][..]] {
            assert_eq!(Reader::new(bad).varint_u32(), Err(ReadError::Overflow));
        }
        assert_eq!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]).varint_u32(),
            Ok(u32::MAX)
        );
        assert_eq!(
            Reader::new(&[0x80; 9]).varint_u64(),
            Err(ReadError::Truncated)
        );
    }

    #[test]
    fn bad_strings_and_counts_are_errors() {
        assert_eq!(Reader::new(&[5, b'a']).str(), Err(ReadError::Truncated));
        assert_eq!(Reader::new(&[2, 0xff, 0xfe]).str(), Err(ReadError::Utf8));
        assert_eq!(
            Reader::new(&[0xff, 0xff, 0x03]).count(),
            Err(ReadError::Count)
        );
        assert_eq!(Reader::new(&[2, 0, 0]).count(), Ok(2));
    }
}
