import CBLAS
import Foundation

/// Matrix products through Debian's BLIS (docs/blas.md), row-major. The only file that imports CBLAS.
enum BLAS {
    /// BLIS as this process runs it: started once, before the first product.
    struct Library: Sendable {
        var kernel: BLASKernel
        var version: String
    }

    /// Chooses the kernel, starts BLIS and hands its thread count to `ThreadBudget`.
    ///
    /// BLIS reads `BLIS_ARCH_TYPE` once, when it starts, so the variable is set just before
    /// `bli_init` and put back as it was just after: child processes (code steps, another
    /// `athanor`) inherit the user's environment, not Athanor's choice.
    static let library: Library = {
        let original = getenv("BLIS_ARCH_TYPE").map { String(cString: $0) }
        let choice = BLASKernel.choose(for: CPUFeatures.current(), requested: original)
        switch choice.action {
        case .set(let configuration): setenv("BLIS_ARCH_TYPE", String(configuration.rawValue), 1)
        case .unset: unsetenv("BLIS_ARCH_TYPE")
        case .keep: break
        }
        bli_init()
        if choice.action != .keep {
            if let original { setenv("BLIS_ARCH_TYPE", original, 1) } else { unsetenv("BLIS_ARCH_TYPE") }
        }
        ThreadBudget.state.startBLAS { threads in bli_thread_set_num_threads(Int64(threads)) }
        let name = bli_arch_string(bli_arch_query_id()).map { String(cString: $0) } ?? "unknown"
        let version = bli_info_get_version_str().map { String(cString: $0) } ?? "unknown"
        return Library(kernel: BLASKernel(name: name, source: choice.source, note: choice.note), version: version)
    }()

    /// BLIS's thread count for the next product, as BLIS holds it.
    static var threads: Int {
        _ = library
        return Int(bli_thread_get_num_threads())
    }

    /// C = alpha · op(A) · op(B) + beta · C, where op(A) is m×k and op(B) is k×n.
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = library
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
        _ = library
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
