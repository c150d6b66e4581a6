//! ⚠️ **Hazmat: CBC decryption with PKCS#7 unpadding, unauthenticated.**
//!
//! **Warning.** Decrypting CBC and then checking its padding is a *padding oracle*
//! (Vaudenay, "Security flaws induced by CBC padding", EUROCRYPT 2002): whoever can submit
//! ciphertexts and tell a padding failure from any other outcome — by the error, by the
//! time taken, by what the application does next — decrypts any ciphertext of that key,
//! byte by byte, without the key (POODLE, Lucky Thirteen and many CVEs since). The
//! unpadding here is constant-time, but nothing here can hide the verdict from a protocol
//! that acts on it.
//!
//! **Use an AEAD instead**: `camellia::aead` (Camellia-GCM and CCM, whose tag is checked
//! before any plaintext is released). Use this module only to read existing CBC data whose
//! integrity is established *before* decryption (encrypt-then-MAC with the MAC verified
//! first), or data that no attacker can submit.
//!
//! [`DecryptPadded`] is an extension trait of [`Cbc`]: importing it is the explicit step.
//!
//! ```
//! use tsubaki::camellia::Camellia128;
//! use tsubaki::camellia::modes::Cbc;
//! use tsubaki::camellia::modes::hazmat::DecryptPadded;
//!
//! let (key, iv) = ([0x2b; 16], [0x24; 16]);
//! let ct = Cbc::new(Camellia128::new(&key), &iv).encrypt_padded_vec(b"legacy record");
//! // ... only after the ciphertext's MAC was verified:
//! let pt = Cbc::new(Camellia128::new(&key), &iv).decrypt_padded_vec(&ct).unwrap();
//! assert_eq!(pt, b"legacy record");
//! ```
//!
//! Without the import the method does not exist (issue 18 moved it here):
//!
//! ```compile_fail
//! use tsubaki::camellia::Camellia128;
//! use tsubaki::camellia::modes::Cbc;
//!
//! let mut buf = [0u8; 16];
//! let _ = Cbc::new(Camellia128::new(&[0; 16]), &[0; 16]).decrypt_padded(&mut buf);
//! ```

use super::{BlockCipher, Cbc};
use crate::Error;

/// PKCS#7 decryption of a [`Cbc`]: a padding oracle unless the ciphertext was
/// authenticated first (see the [module warning](self)).
pub trait DecryptPadded {
    /// Decrypts `buf` in place and strips PKCS#7 padding in constant time; returns the
    /// plaintext. On [`Error::InvalidPadding`] the buffer is zeroed: no unauthenticated
    /// plaintext is released — but the error itself is the oracle's answer.
    fn decrypt_padded(self, buf: &mut [u8]) -> Result<&[u8], Error>;

    /// [`decrypt_padded`](Self::decrypt_padded) into a new vector.
    #[cfg(feature = "alloc")]
    fn decrypt_padded_vec(self, ct: &[u8]) -> Result<alloc::vec::Vec<u8>, Error>;
}

impl<C: BlockCipher> DecryptPadded for Cbc<C> {
    fn decrypt_padded(self, buf: &mut [u8]) -> Result<&[u8], Error> {
        self.decrypt_padded_impl(buf)
    }

    #[cfg(feature = "alloc")]
    fn decrypt_padded_vec(self, ct: &[u8]) -> Result<alloc::vec::Vec<u8>, Error> {
        self.decrypt_padded_vec_impl(ct)
    }
}
