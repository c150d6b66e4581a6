//! The boundary helpers every `tsubaki_*` export is built from, so that each export is
//! a thin parse → call → write: the panic boundary ([`call`]), input checks ([`input`],
//! [`opt_input`]), the one output-buffer convention ([`Outs`]), typed handles (`get`,
//! `put`), and the whole bodies that many exports share: reading a handle from bytes
//! (`import_into`), writing a handle's bytes (`export_bytes`) and making a handle from
//! another (`handle_from`).
//!
//! # The output-buffer convention (DESIGN §8, the same for every `tsubaki_*` function)
//! An output is a pair `uint8_t *out, size_t *out_len`: on entry `*out_len` is the
//! capacity of `out`, on return the number of bytes that matter.
//! - `out_len` must not be NULL (`TSUBAKI_STATUS_NULL_POINTER`).
//! - **Size query**: if `out` is NULL (for a function with several outputs: if any of
//!   them is NULL), nothing is computed or written except every `*len`, set to the size
//!   that suffices, and the result is `TSUBAKI_STATUS_OK`. The size is exact for fixed
//!   sizes and an upper bound where the result varies (a DER signature, a PEM text, a
//!   JSON message): the call then writes fewer bytes and says how many.
//! - **Too small**: if a capacity is below that size, the result is
//!   `TSUBAKI_STATUS_BUFFER_TOO_SMALL`, every `*len` is set to the size needed and
//!   nothing is written, so a caller can allocate and call again.
//! - **Success**: every `*len` is the number of bytes written.
//! - **Any other failure** (bad input, failed tag, a caught panic): every `*len` is 0
//!   and whatever had been written to the outputs is wiped to zeros.
//!
//! Inputs are `const uint8_t *p, size_t p_len`; `p` may be NULL only when `p_len` is 0.
//! A status is a `tsubaki_status`; a panic never crosses into C.

use core::{ptr, slice};

use crate::boundary;
use crate::error::TsubakiStatus;

/// What a body returns: `Ok(())` or the status to report.
pub(crate) type Res = Result<(), TsubakiStatus>;

/// An input buffer: NULL is allowed only with length 0 (then it is empty).
///
/// # Safety
/// A non-NULL `p` is readable for `len` bytes, unchanged while the slice lives.
pub(crate) unsafe fn input<'a>(p: *const u8, len: usize) -> Result<&'a [u8], TsubakiStatus> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(TsubakiStatus::NullPointer);
    }
    if len > isize::MAX as usize {
        return Err(TsubakiStatus::InvalidLength);
    }
    // SAFETY: the contract above; `len` fits in `isize`.
    Ok(unsafe { slice::from_raw_parts(p, len) })
}

/// An optional input: NULL means absent (whatever the length).
///
/// # Safety
/// As [`input`].
pub(crate) unsafe fn opt_input<'a>(
    p: *const u8,
    len: usize,
) -> Result<Option<&'a [u8]>, TsubakiStatus> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's contract.
        unsafe { input(p, len) }.map(Some)
    }
}

/// A pointer that must not be NULL.
pub(crate) fn non_null<T>(p: *const T) -> Result<*const T, TsubakiStatus> {
    if p.is_null() {
        Err(TsubakiStatus::NullPointer)
    } else {
        Ok(p)
    }
}

/// Where a call stands with its outputs, for the clean-up after the body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// [`Outs::reserve`] not reached: nothing written.
    Before,
    /// A size query or a too-small buffer: every `*len` holds the size, nothing written.
    Sized,
    /// Buffers checked; the body may have written up to `reserved` bytes.
    Writing,
}

/// The `N` outputs of one call under the module's convention.
pub(crate) struct Outs<const N: usize> {
    ptrs: [*mut u8; N],
    lens: [*mut usize; N],
    caps: [usize; N],
    reserved: [usize; N],
    written: [usize; N],
    stage: Stage,
}

impl<const N: usize> Outs<N> {
    /// The size step. `Ok(true)`: every buffer is large enough, write. `Ok(false)`: a size
    /// query, answered; return `Ok(())`. `Err(BufferTooSmall)`: sizes reported.
    pub(crate) fn reserve(&mut self, needed: [usize; N]) -> Result<bool, TsubakiStatus> {
        let query = self.ptrs.iter().any(|p| p.is_null());
        let small = self.caps.iter().zip(needed).any(|(&c, n)| c < n);
        if query || small {
            for (&l, n) in self.lens.iter().zip(needed) {
                // SAFETY: every `len` was checked non-NULL by `call` and is valid (its
                // caller's contract).
                unsafe { *l = n };
            }
            self.stage = Stage::Sized;
            return if query {
                Ok(false)
            } else {
                Err(TsubakiStatus::BufferTooSmall)
            };
        }
        self.reserved = needed;
        self.written = needed;
        self.stage = Stage::Writing;
        Ok(true)
    }

    /// The raw pointer of output `i` (after a successful [`reserve`](Self::reserve):
    /// writable for the size reserved), for in-place work over an input that may alias
    /// it.
    pub(crate) fn ptr(&self, i: usize) -> *mut u8 {
        debug_assert!(self.stage == Stage::Writing);
        self.ptrs[i]
    }

    /// Output `i` as a slice of the size reserved.
    ///
    /// # Safety
    /// No input slice of the call overlaps this output while the slice lives (the export
    /// documents that its outputs do not overlap its inputs).
    pub(crate) unsafe fn slice(&mut self, i: usize) -> &mut [u8] {
        assert!(self.stage == Stage::Writing, "output used before reserve");
        // SAFETY: `reserve` checked the capacity; the caller's contract for aliasing.
        unsafe { slice::from_raw_parts_mut(self.ptrs[i], self.reserved[i]) }
    }

    /// Copies `bytes` (at most the size reserved) into output `i` and records its length.
    pub(crate) fn write(&mut self, i: usize, bytes: &[u8]) -> Res {
        assert!(self.stage == Stage::Writing, "output used before reserve");
        if bytes.len() > self.reserved[i] {
            // A size bound that was wrong: a bug, reported rather than overflowing.
            return Err(TsubakiStatus::Panic);
        }
        // SAFETY: `ptrs[i]` is writable for `reserved[i] >= bytes.len()` bytes; `bytes`
        // is the library's own memory, not the caller's output.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), self.ptrs[i], bytes.len()) };
        self.written[i] = bytes.len();
        Ok(())
    }

    /// Records that output `i` holds `n` bytes (at most the size reserved).
    pub(crate) fn set_written(&mut self, i: usize, n: usize) {
        self.written[i] = n.min(self.reserved[i]);
    }

    /// The clean-up after the body (see the module documentation).
    fn finish(&self, status: TsubakiStatus) {
        match (status, self.stage) {
            (TsubakiStatus::Ok, Stage::Writing) => {
                for (&l, &w) in self.lens.iter().zip(&self.written) {
                    // SAFETY: as in `reserve`.
                    unsafe { *l = w };
                }
            }
            (TsubakiStatus::Ok, _) | (_, Stage::Sized) => {}
            (_, stage) => {
                for i in 0..N {
                    if stage == Stage::Writing {
                        // SAFETY: writable for `reserved[i]` bytes (`reserve`); every
                        // slice over it is dead once the body has returned.
                        unsafe { ptr::write_bytes(self.ptrs[i], 0, self.reserved[i]) };
                    }
                    // SAFETY: as in `reserve`.
                    unsafe { *self.lens[i] = 0 };
                }
            }
        }
    }
}

impl Outs<1> {
    /// `bytes` as the whole of the one output: the size step for `bytes.len()` (a size
    /// query or a too-small buffer is answered), then the copy.
    pub(crate) fn reserve_write(&mut self, bytes: &[u8]) -> Res {
        if self.reserve([bytes.len()])? {
            self.write(0, bytes)?;
        }
        Ok(())
    }
}

/// Runs an export's `body` with its `N` outputs (each `(out, out_len)`) inside the panic
/// boundary, applies the output convention, and returns the status. `N` may be 0.
///
/// # Safety
/// Each `out_len` is NULL or valid for reads and writes, each `out` NULL or writable for
/// `*out_len` bytes, for the whole call.
pub(crate) unsafe fn call<const N: usize>(
    outs: [(*mut u8, *mut usize); N],
    body: impl FnOnce(&mut Outs<N>) -> Res,
) -> TsubakiStatus {
    boundary(TsubakiStatus::Panic, move || {
        if outs.iter().any(|(_, l)| l.is_null()) {
            return TsubakiStatus::NullPointer;
        }
        let mut o = Outs {
            ptrs: outs.map(|(p, _)| p),
            lens: outs.map(|(_, l)| l),
            // SAFETY: every `len` is non-NULL (checked) and valid (contract).
            caps: outs.map(|(p, l)| if p.is_null() { 0 } else { unsafe { *l } }),
            reserved: [0; N],
            written: [0; N],
            stage: Stage::Before,
        };
        let status = boundary(TsubakiStatus::Panic, || match body(&mut o) {
            Ok(()) => TsubakiStatus::Ok,
            Err(e) => e,
        });
        o.finish(status);
        status
    })
}

// --- handles -------------------------------------------------------------------------------

/// An opaque handle type of the C API: a heap box, `#[repr(C)]`, holding a type tag
/// (`MAGIC`, a `u64`) as its first field before its value, so that a NULL, freed (where the memory still holds the cleared tag) or
/// foreign pointer, or a handle of another type, is refused with
/// `TSUBAKI_STATUS_INVALID_HANDLE` instead of being used. Declared with [`handle!`].
pub(crate) trait Handle: Sized {
    /// What the handle holds.
    type Inner;
    /// The tag of this type (any distinctive nonzero number).
    const MAGIC: u64;
    /// A fresh handle.
    fn wrap(inner: Self::Inner) -> Self;
    /// Clears the tag (on free).
    fn clear_tag(&mut self);
    /// The value.
    fn inner(&self) -> &Self::Inner;
}

/// Implements [`Handle`] for `$name { tag: u64, inner: $inner }` (declared by hand, so
/// that cbindgen sees it and declares the opaque type in the header).
macro_rules! handle {
    ($name:ident($inner:ty), $magic:expr) => {
        impl crate::abi::Handle for $name {
            type Inner = $inner;
            const MAGIC: u64 = $magic;
            fn wrap(inner: $inner) -> Self {
                $name { tag: $magic, inner }
            }
            fn clear_tag(&mut self) {
                self.tag = 0;
            }
            fn inner(&self) -> &$inner {
                &self.inner
            }
        }
    };
}
pub(crate) use handle;

/// The value behind handle `p`: NULL → `NullPointer`; misaligned or a wrong tag →
/// `InvalidHandle`.
///
/// # Safety
/// `p` is NULL, or a handle of this library (of any type) not yet freed, or memory
/// readable for `size_of::<u64>()` bytes; it stays valid while the reference lives.
pub(crate) unsafe fn get<'a, H: Handle + 'a>(p: *const H) -> Result<&'a H::Inner, TsubakiStatus> {
    if p.is_null() {
        return Err(TsubakiStatus::NullPointer);
    }
    if !p.is_aligned() {
        return Err(TsubakiStatus::InvalidHandle);
    }
    // SAFETY: every handle is `#[repr(C)]` with its `u64` tag first, so the first 8
    // bytes at an aligned `p` are readable (contract) and a tag (or, for a foreign
    // pointer, some number); only when it is this type's tag is `p` taken as an `H`.
    if unsafe { p.cast::<u64>().read() } != H::MAGIC {
        return Err(TsubakiStatus::InvalidHandle);
    }
    // SAFETY: a live handle of type H (its tag), valid while the reference lives.
    let h = unsafe { &*p };
    Ok(h.inner())
}

/// Prepares the handle output `out`: NULL → `NullPointer`; else `*out = NULL` (what the
/// caller holds on any failure).
///
/// # Safety
/// `out` NULL or valid for a write of one pointer.
pub(crate) unsafe fn handle_out<H>(out: *mut *mut H) -> Result<(), TsubakiStatus> {
    if out.is_null() {
        return Err(TsubakiStatus::NullPointer);
    }
    // SAFETY: the contract above.
    unsafe { *out = ptr::null_mut() };
    Ok(())
}

/// Stores a new handle holding `inner` in `*out` (checked by [`handle_out`]).
///
/// # Safety
/// As [`handle_out`], `out` non-NULL.
pub(crate) unsafe fn put<H: Handle>(out: *mut *mut H, inner: H::Inner) -> Res {
    let b = Box::into_raw(Box::new(H::wrap(inner)));
    // SAFETY: the contract above.
    unsafe { *out = b };
    Ok(())
}

/// The whole body of an export that reads a value from bytes into a new handle: `out`
/// checked and set to NULL ([`handle_out`]), `in_` non-NULL ([`input`]), then `*out` a
/// handle holding `parse(in)`.
///
/// # Safety
/// As [`handle_out`] for `out`, as [`input`] for `in_`.
pub(crate) unsafe fn import_into<H: Handle, E>(
    in_: *const u8,
    in_len: usize,
    out: *mut *mut H,
    parse: impl FnOnce(&[u8]) -> Result<H::Inner, E>,
) -> TsubakiStatus
where
    TsubakiStatus: From<E>,
{
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            put(out, parse(input(non_null(in_)?, in_len)?)?)
        })
    }
}

/// The whole body of an export that makes a handle from the value behind another: `out`
/// checked and set to NULL ([`handle_out`]), then `*out` a handle holding `make(value of
/// key)` ([`get`]).
///
/// # Safety
/// As [`handle_out`] for `out`, as [`get`] for `key`.
pub(crate) unsafe fn handle_from<'a, H: Handle + 'a, O: Handle>(
    key: *const H,
    out: *mut *mut O,
    make: impl FnOnce(&'a H::Inner) -> O::Inner,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            put(out, make(get(key)?))
        })
    }
}

/// The whole body of an export that writes the bytes of the value behind `key` to
/// (`out`, `out_len`): `out_len` checked ([`call`]), the value ([`get`]), its bytes
/// `to_bytes(value)`, then [`Outs::reserve_write`] (the bytes are made for a size query
/// too, and dropped after the call: a secret type wipes itself).
///
/// # Safety
/// As [`get`] for `key`, as [`call`] for `out`/`out_len`.
pub(crate) unsafe fn export_bytes<'a, H: Handle + 'a, B: AsRef<[u8]>>(
    key: *const H,
    out: *mut u8,
    out_len: *mut usize,
    to_bytes: impl FnOnce(&'a H::Inner) -> Result<B, TsubakiStatus>,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            o.reserve_write(to_bytes(get(key)?)?.as_ref())
        })
    }
}

/// Frees handle `p`: NULL, or a pointer whose tag is not this type's, is left alone.
/// The value is dropped (secrets are wiped by their own `Drop`).
///
/// # Safety
/// As [`get`]; after this call `p` is dangling.
pub(crate) unsafe fn free<H: Handle>(p: *mut H) {
    boundary((), || {
        // SAFETY: the caller's contract.
        if unsafe { get(p.cast_const()) }.is_err() {
            return;
        }
        // SAFETY: a live handle of type H, made by `put` with `Box::into_raw`.
        let mut b = unsafe { Box::from_raw(p) };
        b.clear_tag();
        drop(b);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        out: *mut u8,
        len: &mut usize,
        need: usize,
        fail: Option<TsubakiStatus>,
    ) -> TsubakiStatus {
        // SAFETY: `out` is NULL or 8 writable bytes in these tests, `len` valid.
        unsafe {
            call([(out, len as *mut usize)], |o| {
                if !o.reserve([need])? {
                    return Ok(());
                }
                o.slice(0).fill(0xAB);
                match fail {
                    Some(TsubakiStatus::Panic) => panic!("abi test: this panic is expected"),
                    Some(e) => Err(e),
                    None => {
                        o.set_written(0, need - 1);
                        Ok(())
                    }
                }
            })
        }
    }

    #[test]
    fn the_convention() {
        let mut buf = [7u8; 8];
        let mut len = 8;
        assert_eq!(
            run(core::ptr::null_mut(), &mut len, 5, None),
            TsubakiStatus::Ok
        );
        assert_eq!(len, 5, "size query");
        len = 4;
        assert_eq!(
            run(buf.as_mut_ptr(), &mut len, 5, None),
            TsubakiStatus::BufferTooSmall
        );
        assert_eq!(
            (len, buf),
            (5, [7; 8]),
            "too small: size told, nothing written"
        );
        len = 8;
        assert_eq!(run(buf.as_mut_ptr(), &mut len, 5, None), TsubakiStatus::Ok);
        assert_eq!(
            (len, &buf[..6]),
            (4, &[0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 7][..])
        );
        len = 8;
        let st = run(
            buf.as_mut_ptr(),
            &mut len,
            5,
            Some(TsubakiStatus::AuthenticationFailed),
        );
        assert_eq!(st, TsubakiStatus::AuthenticationFailed);
        assert_eq!((len, &buf[..6]), (0, &[0, 0, 0, 0, 0, 7][..]), "wiped");
        buf = [7; 8];
        len = 8;
        assert_eq!(
            run(buf.as_mut_ptr(), &mut len, 5, Some(TsubakiStatus::Panic)),
            TsubakiStatus::Panic
        );
        assert_eq!(
            (len, &buf[..6]),
            (0, &[0, 0, 0, 0, 0, 7][..]),
            "wiped after a panic"
        );
        // SAFETY: NULL `out_len` is refused before anything is read.
        let st = unsafe { call([(buf.as_mut_ptr(), core::ptr::null_mut())], |_| Ok(())) };
        assert_eq!(st, TsubakiStatus::NullPointer);
    }

    #[test]
    fn inputs() {
        // SAFETY: NULL with length 0 / NULL with a length are refused or empty.
        unsafe {
            assert_eq!(input(core::ptr::null(), 0), Ok(&[][..]));
            assert_eq!(input(core::ptr::null(), 3), Err(TsubakiStatus::NullPointer));
            assert_eq!(
                input([1u8].as_ptr(), usize::MAX),
                Err(TsubakiStatus::InvalidLength)
            );
            assert_eq!(opt_input(core::ptr::null(), 9), Ok(None));
        }
    }
}
