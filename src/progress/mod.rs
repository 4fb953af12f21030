//! Learning progress kept on the device (see issue 5).
