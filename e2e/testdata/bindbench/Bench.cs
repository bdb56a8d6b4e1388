// Bench times the C# binding (SharedMem.cs) from a program beside the
// library, as e2e/testdata/bench.c times the library from C:
//
//   bench-cs.exe pair N LEN   the mean cost of N Set+Get pairs of a
//                             LEN-character string, in nanoseconds (pair_ns=)
//   bench-cs.exe call N       the mean cost of N Size() calls (call_ns=)
//   bench-cs.exe record N     the mean cost of N ReadRecord(out) calls
//                             (record_ns=): built with -define:RECORD where
//                             the binding has the record
//
// Each loop runs N/10 times untimed first, which also has the JIT compile
// it. The clock is the process's CPU time, as in bench.c: the garbage
// collector's and the JIT's threads included.
using System;
using System.Runtime.InteropServices;
using SharedMem;

static class Bench
{
    static int Main(string[] args)
    {
        long n;
        if (args.Length < 2 || !long.TryParse(args[1], out n) || n <= 0)
            return Usage();
        var mem = new SharedMemory();
        switch (args[0])
        {
            case "pair":
                {
                    int len;
                    if (args.Length != 3 || !int.TryParse(args[2], out len) || len < 0)
                        return Usage();
                    string text = new string('x', len), got = null;
                    double ns = Time(n, () => { mem.Set(text); got = mem.Get(); });
                    if (got != text)
                        return Fail(string.Format("read back {0} characters, wrote {1}", got.Length, len));
                    Console.WriteLine("pair_ns={0:F1}", ns);
                    return 0;
                }
            case "call":
                Console.WriteLine("call_ns={0:F1}", Time(n, () => mem.Size()));
                return 0;
            case "record":
                return Record(mem, n);
        }
        return Usage();
    }

#if RECORD
    static int Record(SharedMemory mem, long n)
    {
        var r = new Reading();
        r.count = 42;
        mem.WriteRecord(ref r);
        Reading got = new Reading();
        double ns = Time(n, () => mem.ReadRecord(out got));
        if (got.count != 42)
            return Fail("read back another record");
        Console.WriteLine("record_ns={0:F1}", ns);
        return 0;
    }
#else
    static int Record(SharedMemory mem, long n)
    {
        return Fail("built without the record");
    }
#endif

    // Time runs f n/10 times, then n times, and returns the mean of the
    // second run in nanoseconds.
    static double Time(long n, Action f)
    {
        for (long i = 0; i < n / 10; i++)
            f();
        double start = CpuNs();
        for (long i = 0; i < n; i++)
            f();
        return (CpuNs() - start) / n;
    }

    struct Timespec
    {
        public long Sec, Nsec;
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    static extern int clock_gettime(int clock, out Timespec ts);

    // CpuNs is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID) in nanoseconds.
    static double CpuNs()
    {
        Timespec ts;
        clock_gettime(2, out ts);
        return ts.Sec * 1e9 + ts.Nsec;
    }

    static int Fail(string msg)
    {
        Console.Error.WriteLine("bench-cs: " + msg);
        return 1;
    }

    static int Usage()
    {
        Console.Error.WriteLine("usage: bench-cs.exe pair N LEN | call N | record N");
        return 2;
    }
}
