import CBLAS

/// Matrix products through the system CBLAS (Debian's BLIS, see docs/blas.md), row-major.
/// The only file that imports CBLAS.
enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C, where op(A) is m×k and op(B) is k×n.
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Matrix {
    /// op(self) · op(other), through BLAS.
    public func multiplied(by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false) -> Matrix {
        let m = transposingSelf ? columns : rows
        let k = transposingSelf ? rows : columns
        let n = transposingOther ? other.rows : other.columns
        precondition(k == (transposingOther ? other.columns : other.rows), "Matrix: inner dimensions differ")
        var result = [Double](repeating: 0, count: m * n)
        guard m > 0, n > 0 else { return Matrix(rows: m, columns: n, values: result) }
        if k > 0 {
            values.withUnsafeBufferPointer { a in
                other.values.withUnsafeBufferPointer { b in
                    result.withUnsafeMutableBufferPointer { c in
                        guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                        BLAS.gemm(
                            transposeA: transposingSelf, transposeB: transposingOther, m: m, n: n, k: k, alpha: 1,
                            a: a, lda: columns, b: b, ldb: other.columns, beta: 0, c: c, ldc: n)
                    }
                }
            }
        }
        return Matrix(rows: m, columns: n, values: result)
    }
}
