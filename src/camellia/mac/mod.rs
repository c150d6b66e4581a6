//! Message authentication and key wrapping with Camellia.
//!
//! - [`cmac`] / [`Cmac`]: CMAC (NIST SP 800-38B; RFC 4493's construction with Camellia
//!   in place of AES), 16-byte tags, keys of 16, 24 or 32 bytes.
//! - [`wrap`] / [`unwrap`]: key wrap (RFC 3394 with Camellia, as RFC 3657 specifies),
//!   for keys of 16 bytes or more in whole 8-byte blocks. (The padded variant of RFC
//!   5649 is not offered: no Camellia vectors for it exist to test against.)
//!
//! Tag and integrity checks are constant-time; a failed unwrap returns no key material.

mod cmac;
mod keywrap;

pub use cmac::{Cmac, cmac, cmac_verify};
#[cfg(feature = "alloc")]
pub use keywrap::{unwrap, wrap};
pub use keywrap::{unwrap_in_place, wrap_in_place};
