/* Valgrind client requests for tsubaki's constant-time check (feature `ct-valgrind`).
 *
 * memcheck treats "undefined" memory as tainted: a conditional jump or a memory address
 * computed from it is reported. Marking secrets undefined therefore turns memcheck into a
 * secret-dependence checker. Outside valgrind these requests are a few no-op instructions.
 * The header comes from Debian's valgrind package (/usr/include/valgrind/memcheck.h). */
#include <stddef.h>
#include <valgrind/memcheck.h>

void tsubaki_ct_make_undefined(const void *ptr, size_t len) {
    (void)VALGRIND_MAKE_MEM_UNDEFINED(ptr, len);
}

void tsubaki_ct_make_defined(const void *ptr, size_t len) {
    (void)VALGRIND_MAKE_MEM_DEFINED(ptr, len);
}
