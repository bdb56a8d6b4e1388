// Child reads the string its parent wrote into shared memory through
// the library, with the C# binding (SharedMem.cs), and prints it, as
// hosts/c/child.c does.
//
// Usage: child-cs.exe [--next | --record | --unlink]
//
// With --next it first waits, up to a minute, for the next write, and prints
// what that wrote. --record prints the typed record instead, as one line of
// JSON, byte for byte as the C child does. --unlink does what parent-cs.exe
// --unlink does.
using System;
using System.Text;
using SharedMem;

static class Child
{
    static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--unlink")
            return Hosts.Unlink("child");
        bool record = args.Length == 1 && args[0] == "--record";
        if (args.Length > 1 || (args.Length == 1 && !record && args[0] != "--next"))
        {
            Console.Error.WriteLine("usage: child [--next | --record | --unlink]");
            return 2;
        }
        SharedMemory lib;
        try
        {
            lib = new SharedMemory();
        }
        catch (DllNotFoundException e)
        {
            Console.Error.WriteLine("child: " + e.Message);
            return 1;
        }
        if (record)
            return PrintRecord(lib);
        string text;
        try
        {
            // 0 returns the current generation at once; the next call waits for it to change.
            if (args.Length == 1)
                lib.Wait(lib.Wait(0), 60000);
            text = lib.Get();
        }
        catch (AbandonedException e)
        {
            text = (string)e.Value; // printed all the same, as the C child does
        }
        catch (SharedMemException e)
        {
            Console.Error.WriteLine("child: " + e.Message);
            return 1;
        }
        // An unpaired surrogate prints as U+FFFD, as in the C child: the
        // encoder's default replacement.
        Hosts.Print("Child process read from shared memory: " + text);
        return 0;
    }

    // PrintRecord prints the record as one line of JSON; an abandoned one
    // is printed all the same, after saying so, as the C child does.
    static int PrintRecord(SharedMemory lib)
    {
        string json;
        bool abandoned;
        try
        {
            json = lib.ReadRecordJson(out abandoned);
        }
        catch (Exception e)
        {
            if (!(e is SharedMemException || e is FormatException))
                throw;
            Console.Error.WriteLine("child: " + e.Message);
            return 1;
        }
        if (abandoned)
            Console.Error.WriteLine("child: " + Status.Text(Status.Abandoned));
        Hosts.Print(json);
        return 0;
    }
}
