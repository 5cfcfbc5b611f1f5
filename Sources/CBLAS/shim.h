// The part of the standard CBLAS interface (LP64: 32-bit integers) that Athanor calls, and the few
// BLIS calls that choose its kernel and thread count, declared here rather than through <cblas.h>
// and <blis.h>: BLIS's header pulls in its own view of system headers, which clashes with Swift's
// Glibc module. The module links libblis (libblis-dev), not libblas: Debian's libblas.so.3 of BLIS
// exports only BLAS and CBLAS, and linking both would load two copies of BLIS with separate state.
#ifndef ATHANOR_CBLAS_SHIM_H
#define ATHANOR_CBLAS_SHIM_H

#include <stdint.h>

enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112, CblasConjTrans = 113 };

void cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                 int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc);

void cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                 int m, int n, int k, double alpha, const double *a, int lda, const double *b, int ldb,
                 double beta, double *c, int ldc);

// BLIS 0.9 (frame/base/bli_arch.h, bli_init.h, frame/thread/bli_thread.h). `arch_t` is a C enum,
// `dim_t` is int64_t on LP64 builds (BLIS_INT_TYPE_SIZE 64).

/// Initialises BLIS, which then reads BLIS_ARCH_TYPE, BLIS_NUM_THREADS and OMP_NUM_THREADS once.
void bli_init(void);
/// The active configuration's `arch_t` id. Call only after `bli_init`: before it, a set
/// BLIS_ARCH_TYPE makes BLIS 0.9 abort ("Accessed uninitialized context in gks").
int bli_arch_query_id(void);
/// The configuration's name ("zen3", "skx", "generic").
char *bli_arch_string(int id);
/// The thread count of every later call, process-wide (a mutex-guarded global in BLIS 0.9, not per thread).
void bli_thread_set_num_threads(int64_t n_threads);
int64_t bli_thread_get_num_threads(void);
char *bli_info_get_version_str(void);

#endif
