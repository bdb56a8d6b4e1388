// Probe calls every method of the C# binding and prints what each did, in
// the lines probe.py and probe.rs print too (e2e TestBindingsLinux).
using System;
using System.Threading;
using SharedMem;

static class Probe
{
    static void Main()
    {
        var lib = new SharedMemory();
        string text = "h\u00e9\U0001F600";
        Console.WriteLine("set " + (lib.Set(text) ? "true" : "false"));
        Console.WriteLine("length " + lib.Length());
        Console.WriteLine("get " + (lib.Get() == text ? "ok" : "wrong"));
        Console.WriteLine("size " + lib.Size());
        lib.WriteBytes(4000, new byte[] { 1, 2, 3 });
        var b = new byte[3];
        lib.ReadBytes(4000, b);
        Console.WriteLine("bytes " + BitConverter.ToString(b).Replace("-", "").ToLowerInvariant());
        try
        {
            lib.ReadBytes(lib.Size() - 1, new byte[2]);
            Console.WriteLine("read past end: no error");
        }
        catch (SharedMemException e)
        {
            Console.WriteLine("read past end 0x" + e.Status.ToString("x8"));
        }
        ulong g = lib.Wait(0);
        try
        {
            lib.Wait(g, 50);
            Console.WriteLine("timeout: none");
        }
        catch (WaitTimeoutException e)
        {
            Console.WriteLine("timeout " + e.Status + " True");
        }
        using (var cts = new CancellationTokenSource(100))
        {
            try
            {
                lib.Wait(g, Timeout.Infinite, cts.Token);
                Console.WriteLine("cancel: none");
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("cancelled");
            }
        }
        new Thread(() => { Thread.Sleep(100); lib.WriteBytes(0, new byte[] { (byte)'x' }); }).Start();
        Console.WriteLine("woken " + (lib.Wait(g, 5000) - g));
        Console.WriteLine("set " + (lib.Set(new string('a', (int)SharedMemory.Capacity + 5)) ? "true" : "false"));
        Console.WriteLine("length " + lib.Length());
        lib.Set("a\uD83D"); // an unpaired surrogate goes through as it is
        Console.WriteLine("lone " + (lib.Get() == "a\uD83D" && lib.Length() == 2 ? "ok" : "wrong"));
        // around the first read's buffer of 256 units, and a pair across its end
        bool ok = true;
        for (int n = 250; n < 260; n++)
            foreach (string t in new[] { new string('b', n), new string('b', n) + "\U0001F600" })
                ok &= lib.Set(t) && lib.Get() == t;
        Console.WriteLine("boundary " + (ok ? "ok" : "wrong"));
        Console.WriteLine("set " + (lib.Set("") ? "true" : "false"));
        Console.WriteLine("empty " + (lib.Get() == "" && lib.Length() == 0 ? "ok" : "not empty"));
    }
}
