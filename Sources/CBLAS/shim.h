// Debian's CBLAS alternative (BLIS from libblis-dev, or OpenBLAS): /usr/include/x86_64-linux-gnu/cblas.h
#include <cblas.h>
