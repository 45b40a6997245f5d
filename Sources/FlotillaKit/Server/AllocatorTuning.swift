import CMalloc

/// How the C allocator is set up at start, for services that stream large bodies through
/// short-lived buffers: blocks of 64 KiB and more are mapped and returned to the system as
/// soon as they are freed (glibc otherwise raises that threshold as it goes and keeps freed
/// blocks in a heap that fragments), and one arena serves all threads (buffers made
/// on one thread and freed on another stay in one heap). Measured by the end-to-end test of a
/// 200 MB file through files and the gateway: peak resident memory stays bounded instead of
/// growing with the transfer's speed. Without glibc (a musl static build) it does nothing.
public enum AllocatorTuning {
    public static func apply() {
        flotilla_tune_allocator(64 * 1024, 1)
    }
}
