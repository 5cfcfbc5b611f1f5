// GEMM benchmark for a CBLAS shared library loaded by absolute path with dlopen, so that
// several BLAS builds (Debian's BLIS, Debian's OpenBLAS, ...) can be timed and compared
// without relinking. Part of benchmarks/blas (see docs/blas.md); run.sh drives it.
//
//   gemm_bench [options] /abs/path/to/libblas.so.3     time sgemm and dgemm on the MLP shapes
//       --label NAME     library name printed in the result lines (default: the path)
//       --reps R         timed batches per shape (default 7); best and median are printed
//       --min-time S     seconds each batch lasts at least (default 0.05)
//       --det N          extra calls per shape checked bit-for-bit against the first (default 20)
//       --dump DIR       write each result matrix to DIR/<prec>_<case>.bin (raw, row-major)
//       --quick          skip the 2048^3 square
//       --arch NAME      run BLIS's kernel NAME ("zen3", "skx", "generic"): libblis only
//   gemm_bench --compare DIR_A DIR_B                   compare two dumps (max relative difference)
//   gemm_bench --interleave [--label NAME] [--count N] [--gap-us U] [--arch NAME] /abs/path/libblas.so.3
//       the engine's pattern: N times (the Fashion-MNIST forward sgemm 200x256x784, then U
//       microseconds of other work, here a sleep); prints GEMM time, wall time and the CPU time
//       of the whole process, which shows BLAS worker threads spinning between products
//
// Threads are whatever the library reads from its environment (run.sh sets OMP_NUM_THREADS,
// BLIS_NUM_THREADS and OPENBLAS_NUM_THREADS together); the program prints what the library
// reports. Inputs come from a counter-based hash (splitmix64), uniform in [-1, 1), and are
// reproduced bit-for-bit by numpy_bench.py (build with -ffp-contract=off, as run.sh does).
//
// Output: lines starting with '#' are information; result lines are tab-separated:
//   R <label> <threads> <prec> <case> <M> <N> <K> <best GFLOP/s> <median GFLOP/s> <hash> <det>
// where hash is FNV-1a over the result's bytes and det is "same" when every checked call gave
// a bit-identical result to the first call in this process, "DIFF(n)" otherwise.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int,
                         const float *, int, float, float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int,
                         const double *, int, double, double *, int);

// One product as the engine calls it: C[M x N] = op(A) * op(B), all row-major.
typedef struct {
    char name[64];   // e.g. "fmnist fwd1 X*W"
    int M, N, K;
    int transA, transB;
} Case;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t splitmix64(uint64_t x) {
    uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Element i of input matrix `seed`: uniform in [-1, 1) with a full 53-bit mantissa (the float
// inputs are these values rounded to float). Full mantissas matter: with short ones every
// double product and sum is exact, and a change of summation order would go unseen.
static double input_value(uint64_t seed, uint64_t i) {
    uint64_t k = splitmix64((seed << 32) + i) >> 11;        // 53 random bits
    return (double)k * (1.0 / 4503599627370496.0) - 1.0;   // k * 2^-52 - 1
}

static uint64_t fnv1a(const void *p, size_t n) {
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) { h ^= b[i]; h *= 0x100000001b3ULL; }
    return h;
}

static void *xalloc(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(1); }
    return p;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// The MLP of the engine: X[B x F] -> hidden H -> C outputs. Seeds: 1 = A operand, 2 = B operand.
static int build_cases(Case *cs, int quick) {
    struct { const char *tag; int B, F, H, C; } mlps[] = {
        {"digits", 200, 64, 64, 10},
        {"synthetic", 200, 100, 256, 10},
        {"fmnist", 200, 784, 256, 10},
        {"bigbatch", 1024, 784, 256, 10},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof mlps / sizeof mlps[0]; i++) {
        int B = mlps[i].B, F = mlps[i].F, H = mlps[i].H, C = mlps[i].C;
        // forward X[BxF]·W[FxH]
        snprintf(cs[n].name, 64, "%s fwd1 X*W", mlps[i].tag);
        cs[n].M = B; cs[n].N = H; cs[n].K = F; cs[n].transA = NoTrans; cs[n].transB = NoTrans; n++;
        // forward hidden->output H[BxH]·W2[HxC]
        snprintf(cs[n].name, 64, "%s fwd2 H*W2", mlps[i].tag);
        cs[n].M = B; cs[n].N = C; cs[n].K = H; cs[n].transA = NoTrans; cs[n].transB = NoTrans; n++;
        // backward dW = Xᵀ[FxB]·dH[BxH], X stored BxF
        snprintf(cs[n].name, 64, "%s bwd dW=Xt*dH", mlps[i].tag);
        cs[n].M = F; cs[n].N = H; cs[n].K = B; cs[n].transA = Trans; cs[n].transB = NoTrans; n++;
        // backward dX = dH[BxH]·Wᵀ[HxF], W stored FxH
        snprintf(cs[n].name, 64, "%s bwd dX=dH*Wt", mlps[i].tag);
        cs[n].M = B; cs[n].N = F; cs[n].K = H; cs[n].transA = NoTrans; cs[n].transB = Trans; n++;
    }
    if (!quick) {
        snprintf(cs[n].name, 64, "square 2048^3");
        cs[n].M = cs[n].N = cs[n].K = 2048; cs[n].transA = NoTrans; cs[n].transB = NoTrans; n++;
    }
    return n;
}

// Case names contain spaces and '*'; file names replace them with '_'.
static void file_name(char *out, size_t cap, const char *dir, const char *prec, const char *name) {
    char clean[64];
    size_t i = 0;
    for (; name[i] && i < sizeof clean - 1; i++) {
        char c = name[i];
        clean[i] = (c == ' ' || c == '*' || c == '^' || c == '=') ? '_' : c;
    }
    clean[i] = 0;
    snprintf(out, cap, "%s/%s_%s.bin", dir, prec, clean);
}

typedef struct {
    sgemm_fn sgemm;
    dgemm_fn dgemm;
} Lib;

// Runs one product once in the requested precision.
static void run_gemm(const Lib *lib, int dbl, const Case *c, const void *A, const void *B, void *C) {
    int lda = c->transA == NoTrans ? c->K : c->M;   // A stored MxK, or KxM when transposed
    int ldb = c->transB == NoTrans ? c->N : c->K;   // B stored KxN, or NxK when transposed
    if (dbl)
        lib->dgemm(RowMajor, c->transA, c->transB, c->M, c->N, c->K, 1.0, A, lda, B, ldb,
                   0.0, C, c->N);
    else
        lib->sgemm(RowMajor, c->transA, c->transB, c->M, c->N, c->K, 1.0f, A, lda, B, ldb,
                   0.0f, C, c->N);
}

// --arch NAME: BLIS's kernel by name. BLIS 0.9 reads BLIS_ARCH_TYPE once, as an integer id, when it
// starts: find the id whose bli_arch_string is NAME (the table ends with "generic"), set it, then
// start BLIS. (bli_arch_query_id before bli_init aborts when BLIS_ARCH_TYPE is set.) A library
// without bli_* (OpenBLAS, BLIS's libblas.so.3) is left alone, and only accepts no --arch.
static int start_blis(void *h, const char *path, const char *arch) {
    void (*init)(void) = (void (*)(void))dlsym(h, "bli_init");
    const char *(*name)(int) = (const char *(*)(int))dlsym(h, "bli_arch_string");
    if (arch && (!init || !name)) {
        fprintf(stderr, "--arch: %s exports no bli_init/bli_arch_string (use libblis.so.4)\n", path);
        return 1;
    }
    if (arch) {
        int id = -1;
        for (int i = 0; i < 64 && id < 0; i++) {
            if (!strcmp(name(i), arch)) id = i;
            else if (!strcmp(name(i), "generic")) break;
        }
        if (id < 0) { fprintf(stderr, "--arch: BLIS has no configuration '%s'\n", arch); return 1; }
        char value[16];
        snprintf(value, sizeof value, "%d", id);
        setenv("BLIS_ARCH_TYPE", value, 1);
    }
    if (init) init();
    return 0;
}

static int bench(int argc, char **argv) {
    const char *path = NULL, *label = NULL, *dump = NULL, *arch = NULL;
    int reps = 7, det = 20, quick = 0;
    double min_time = 0.05;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--label") && i + 1 < argc) label = argv[++i];
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--min-time") && i + 1 < argc) min_time = atof(argv[++i]);
        else if (!strcmp(argv[i], "--det") && i + 1 < argc) det = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc) dump = argv[++i];
        else if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--arch") && i + 1 < argc) arch = argv[++i];
        else if (argv[i][0] == '-') { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
        else path = argv[i];
    }
    if (!path || path[0] != '/') {
        fprintf(stderr, "usage: gemm_bench [--label NAME] [--reps R] [--min-time S] [--det N] "
                        "[--dump DIR] [--quick] [--arch NAME] /abs/path/libblas.so\n"
                        "       gemm_bench --compare DIR_A DIR_B\n");
        return 2;
    }
    if (reps < 1) reps = 1;
    if (!label) label = path;
    if (dump && mkdir(dump, 0755) != 0 && errno != EEXIST) { perror(dump); return 1; }

    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    Lib lib = { (sgemm_fn)dlsym(h, "cblas_sgemm"), (dgemm_fn)dlsym(h, "cblas_dgemm") };
    if (!lib.sgemm || !lib.dgemm) { fprintf(stderr, "%s: no cblas_sgemm/cblas_dgemm\n", path); return 1; }

    // What the library says about itself. dlsym on the handle also searches its dependencies,
    // so Debian's OpenBLAS libblas.so.3 answers through libopenblas.so.0.
    const char *env_threads[] = {"OMP_NUM_THREADS", "BLIS_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                 "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_WAIT_POLICY"};
    if (start_blis(h, path, arch) != 0) return 1;
    printf("# library %s (%s)\n", label, path);
    for (size_t i = 0; i < sizeof env_threads / sizeof env_threads[0]; i++) {
        const char *v = getenv(env_threads[i]);
        if (v) printf("# env %s=%s\n", env_threads[i], v);
    }
    char *(*ob_core)(void) = (char *(*)(void))dlsym(h, "openblas_get_corename");
    char *(*ob_config)(void) = (char *(*)(void))dlsym(h, "openblas_get_config");
    int (*ob_threads)(void) = (int (*)(void))dlsym(h, "openblas_get_num_threads");
    long (*bli_threads)(void) = (long (*)(void))dlsym(h, "bli_thread_get_num_threads");
    int (*bli_arch)(void) = (int (*)(void))dlsym(h, "bli_arch_query_id");
    const char *(*bli_arch_str)(int) = (const char *(*)(int))dlsym(h, "bli_arch_string");
    int threads = -1;
    if (ob_config) printf("# openblas config: %s; core: %s\n", ob_config(), ob_core ? ob_core() : "?");
    if (ob_threads) { threads = ob_threads(); printf("# openblas_get_num_threads() = %d\n", threads); }
    if (bli_arch && bli_arch_str) printf("# blis sub-configuration: %s\n", bli_arch_str(bli_arch()));
    if (bli_threads) printf("# bli_thread_get_num_threads() = %ld\n", bli_threads());
    if (threads < 0) {   // BLIS's libblas.so.3 exports no bli_* symbols: report what its env says
        const char *v = getenv("BLIS_NUM_THREADS");
        if (!v) v = getenv("OMP_NUM_THREADS");
        threads = v ? atoi(v) : 1;
    }

    Case cs[32];
    int ncase = build_cases(cs, quick);
    for (int dbl = 0; dbl <= 1; dbl++) {
        const char *prec = dbl ? "d" : "s";
        size_t esz = dbl ? sizeof(double) : sizeof(float);
        for (int ci = 0; ci < ncase; ci++) {
            const Case *c = &cs[ci];
            size_t na = (size_t)c->M * c->K, nb = (size_t)c->K * c->N, nc = (size_t)c->M * c->N;
            void *A = xalloc(na * esz), *B = xalloc(nb * esz), *C = xalloc(nc * esz),
                 *ref = xalloc(nc * esz);
            for (size_t i = 0; i < na; i++) {
                double v = input_value(1, i);
                if (dbl) ((double *)A)[i] = v; else ((float *)A)[i] = (float)v;
            }
            for (size_t i = 0; i < nb; i++) {
                double v = input_value(2, i);
                if (dbl) ((double *)B)[i] = v; else ((float *)B)[i] = (float)v;
            }
            memset(C, 0, nc * esz);
            // First call: warms caches and the thread pool; its result is the reference.
            run_gemm(&lib, dbl, c, A, B, ref);
            double t0 = now();
            run_gemm(&lib, dbl, c, A, B, C);
            double t1 = now() - t0;
            long iters = t1 > 0 ? (long)ceil(min_time / t1) : 1000;
            if (iters < 1) iters = 1;
            double flop = 2.0 * c->M * c->N * c->K * iters;
            double *rates = calloc(reps, sizeof(double));
            int diffs = memcmp(C, ref, nc * esz) != 0;
            for (int r = 0; r < reps; r++) {
                t0 = now();
                for (long k = 0; k < iters; k++) run_gemm(&lib, dbl, c, A, B, C);
                double t = now() - t0;
                rates[r] = flop / t * 1e-9;
                diffs += memcmp(C, ref, nc * esz) != 0;
            }
            int checks = c->M >= 2048 ? (det < 3 ? det : 3) : det;
            for (int k = 0; k < checks; k++) {
                run_gemm(&lib, dbl, c, A, B, C);
                diffs += memcmp(C, ref, nc * esz) != 0;
            }
            qsort(rates, reps, sizeof(double), cmp_double);
            double best = rates[reps - 1];
            double median = reps % 2 ? rates[reps / 2] : 0.5 * (rates[reps / 2 - 1] + rates[reps / 2]);
            char detstr[32];
            if (diffs) snprintf(detstr, sizeof detstr, "DIFF(%d)", diffs);
            else snprintf(detstr, sizeof detstr, "same");
            printf("R\t%s\t%d\t%s\t%s\t%d\t%d\t%d\t%.2f\t%.2f\t%016llx\t%s\n", label, threads, prec,
                   c->name, c->M, c->N, c->K, best, median,
                   (unsigned long long)fnv1a(ref, nc * esz), detstr);
            fflush(stdout);
            if (dump) {
                char fn[1024];
                file_name(fn, sizeof fn, dump, prec, c->name);
                FILE *f = fopen(fn, "wb");
                if (!f || fwrite(ref, esz, nc, f) != nc) { perror(fn); return 1; }
                fclose(f);
            }
            free(rates); free(A); free(B); free(C); free(ref);
        }
    }
    return 0;
}

static void *read_all(const char *fn, size_t *bytes) {
    FILE *f = fopen(fn, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = xalloc(n > 0 ? (size_t)n : 1);
    if (fread(p, 1, n, f) != (size_t)n) { fclose(f); free(p); return NULL; }
    fclose(f);
    *bytes = n;
    return p;
}

// For each case present in both dumps: bit-identical or not, number of differing elements,
// and max|a-b| / max|b| (normwise relative difference, robust to entries near zero).
static int compare(const char *da, const char *db) {
    Case cs[32];
    int ncase = build_cases(cs, 0);
    printf("C\tprec\tcase\tidentical\tdiffering\tmax_abs_diff\tmax_rel_diff\n");
    for (int dbl = 0; dbl <= 1; dbl++) {
        const char *prec = dbl ? "d" : "s";
        for (int ci = 0; ci < ncase; ci++) {
            char fa[1024], fb[1024];
            file_name(fa, sizeof fa, da, prec, cs[ci].name);
            file_name(fb, sizeof fb, db, prec, cs[ci].name);
            size_t na = 0, nb = 0;
            void *a = read_all(fa, &na), *b = read_all(fb, &nb);
            if (!a || !b || na != nb) { free(a); free(b); continue; }
            size_t n = na / (dbl ? 8 : 4), differing = 0;
            double maxdiff = 0, maxref = 0;
            for (size_t i = 0; i < n; i++) {
                double x = dbl ? ((double *)a)[i] : ((float *)a)[i];
                double y = dbl ? ((double *)b)[i] : ((float *)b)[i];
                if (x != y || memcmp((char *)a + i * (na / n), (char *)b + i * (na / n), na / n)) differing++;
                if (fabs(x - y) > maxdiff || isnan(x - y)) maxdiff = fabs(x - y);
                if (fabs(y) > maxref) maxref = fabs(y);
            }
            printf("C\t%s\t%s\t%s\t%zu/%zu\t%.3g\t%.3g\n", prec, cs[ci].name,
                   differing ? "no" : "yes", differing, n, maxdiff,
                   maxref > 0 ? maxdiff / maxref : maxdiff);
            free(a); free(b);
        }
    }
    return 0;
}

static double cpu_seconds(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_utime.tv_usec * 1e-6 + r.ru_stime.tv_sec + r.ru_stime.tv_usec * 1e-6;
}

// Output: I <label> <threads> <count> <gap us> <gemm ms> <wall ms> <cpu ms> <OMP_WAIT_POLICY>
static int interleave(int argc, char **argv) {
    const char *path = NULL, *label = NULL, *arch = NULL;
    int count = 200, gap_us = 2000;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--label") && i + 1 < argc) label = argv[++i];
        else if (!strcmp(argv[i], "--count") && i + 1 < argc) count = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--gap-us") && i + 1 < argc) gap_us = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--arch") && i + 1 < argc) arch = argv[++i];
        else path = argv[i];
    }
    if (!path || path[0] != '/') { fprintf(stderr, "gemm_bench --interleave needs an absolute path\n"); return 2; }
    if (!label) label = path;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    Lib lib = { (sgemm_fn)dlsym(h, "cblas_sgemm"), (dgemm_fn)dlsym(h, "cblas_dgemm") };
    if (!lib.sgemm) { fprintf(stderr, "%s: no cblas_sgemm\n", path); return 1; }
    if (start_blis(h, path, arch) != 0) return 1;
    Case c = { "fmnist fwd1 X*W", 200, 256, 784, NoTrans, NoTrans };
    float *A = xalloc(sizeof(float) * c.M * c.K), *B = xalloc(sizeof(float) * c.K * c.N),
          *C = xalloc(sizeof(float) * c.M * c.N);
    for (int i = 0; i < c.M * c.K; i++) A[i] = (float)input_value(1, i);
    for (int i = 0; i < c.K * c.N; i++) B[i] = (float)input_value(2, i);
    run_gemm(&lib, 0, &c, A, B, C);
    double gemm = 0, w0 = now(), c0 = cpu_seconds();
    for (int k = 0; k < count; k++) {
        double t = now();
        run_gemm(&lib, 0, &c, A, B, C);
        gemm += now() - t;
        if (gap_us > 0) usleep(gap_us);
    }
    double wall = now() - w0, cpu = cpu_seconds() - c0;
    const char *v = getenv("BLIS_NUM_THREADS");
    if (!v) v = getenv("OPENBLAS_NUM_THREADS");
    if (!v) v = getenv("OMP_NUM_THREADS");
    const char *policy = getenv("OMP_WAIT_POLICY");
    printf("I\t%s\t%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%s\n", label, v ? v : "default", count, gap_us,
           gemm * 1e3, wall * 1e3, cpu * 1e3, policy ? policy : "-");
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "--compare")) return compare(argv[2], argv[3]);
    if (argc >= 2 && !strcmp(argv[1], "--interleave")) return interleave(argc, argv);
    return bench(argc, argv);
}
