// The part of the standard CBLAS interface (LP64: 32-bit integers) that Athanor calls, declared
// here rather than through <cblas.h>: BLIS's header pulls in its own view of system headers,
// which clashes with Swift's Glibc module. Debian's libblas.so alternative (BLIS or OpenBLAS)
// provides these symbols.
#ifndef ATHANOR_CBLAS_SHIM_H
#define ATHANOR_CBLAS_SHIM_H

enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112, CblasConjTrans = 113 };

void cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                 int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc);

void cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                 int m, int n, int k, double alpha, const double *a, int lda, const double *b, int ldb,
                 double beta, double *c, int ldc);

#endif
