//! PLACEHOLDER being replaced in this session by the bitsliced backend.
#![deny(unsafe_code)]
use super::super::key_schedule::RoundKeys;
pub(crate) fn expand(key: &[u8]) -> RoundKeys {
    super::table::expand_vartime(key)
}
pub(crate) fn crypt_block(rk: &RoundKeys, block: &mut [u8; 16]) {
    super::table::crypt_block_vartime(rk, block)
}
pub(crate) fn crypt_blocks(rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
    super::table::crypt_blocks_vartime(rk, blocks)
}
