/*
 * percall.c's calls timed for a shared, loaded machine: each line is the best of 300
 * repetitions of a short run (2,000 calls; 40 for CBC over 1 KiB), so that one repetition
 * that ran unpreempted gives the true cost. Build it like percall.c:
 *   cc -std=c11 -O2 -Iffi/include ffi/bench/percall_best.c target/release/libtsubaki.a \
 *      -lpthread -ldl -lm -o percall_best_tsubaki
 *   cc -std=c11 -O2 -DUSE_OPENSSL -Wno-deprecated-declarations ffi/bench/percall_best.c \
 *      -lcrypto -o percall_best_openssl
 * and run the two (or three, with an older libtsubaki.a) alternately.
 */
#define _POSIX_C_SOURCE 199309L
#ifdef USE_OPENSSL
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/camellia.h>
#define IMPL "openssl"
#else
#include <tsubaki/camellia.h>
#define IMPL "tsubaki"
#endif
#include <stdio.h>
#include <string.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e9+t.tv_nsec;}
#define BEST(label, n, per, body) do { double best=1e30; for(int rep=0;rep<300;rep++){ double t0=now(); for(long i=0;i<(n);i++){body;} double dt=(now()-t0)/(double)(n); if(dt<best)best=dt;} printf("%-8s %-22s %8.1f ns %s\n", IMPL, label, best/(per), per>1?"per B":""); } while(0)
int main(void){ unsigned char k[32],blk[16],iv[16]; static unsigned char buf[1024];
 for(int i=0;i<32;i++)k[i]=i*7+3; memset(blk,0x5a,16); memset(buf,0xa5,1024); memset(iv,1,16);
 CAMELLIA_KEY key,key256;
 BEST("set_key-128",2000,1,{k[0]^=i;Camellia_set_key(k,128,&key);});
 BEST("set_key-256",2000,1,{k[0]^=i;Camellia_set_key(k,256,&key256);});
 Camellia_set_key(k,128,&key); Camellia_set_key(k,256,&key256);
 BEST("encrypt-128",2000,1,Camellia_encrypt(blk,blk,&key));
 BEST("decrypt-128",2000,1,Camellia_decrypt(blk,blk,&key));
 BEST("encrypt-256",2000,1,Camellia_encrypt(blk,blk,&key256));
 BEST("decrypt-256",2000,1,Camellia_decrypt(blk,blk,&key256));
 BEST("cbc_encrypt-128 1KiB",40,1024,Camellia_cbc_encrypt(buf,buf,1024,&key,iv,CAMELLIA_ENCRYPT));
 return blk[0]^buf[0]; }
