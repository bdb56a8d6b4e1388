// Parent writes a string into shared memory through the library, with the C#
// binding (SharedMem.cs), starts the child and waits for it; it exits with
// the child's status, as hosts/c/parent.c does.
//
// Usage: parent-cs.exe [CHILD_COMMAND_LINE [TEXT]]
//        parent-cs.exe --unlink
//
// CHILD_COMMAND_LINE defaults to child-cs.exe beside this program (run with
// mono on Linux), TEXT to "This is a test string". On Linux a
// CHILD_COMMAND_LINE given is run by /bin/sh -c, on Windows as CreateProcess
// parses it.
using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using SharedMem;

static class Parent
{
    static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--unlink")
            return Hosts.Unlink("parent");
        if (args.Length > 2)
        {
            Console.Error.WriteLine("usage: parent [CHILD_COMMAND_LINE [TEXT]]\n       parent --unlink");
            return 2;
        }
        SharedMemory lib;
        try
        {
            lib = new SharedMemory();
        }
        catch (DllNotFoundException e)
        {
            Console.Error.WriteLine("parent: " + e.Message);
            return 1;
        }
        string text = args.Length > 1 ? args[1] : "This is a test string";
        Hosts.Print("Process is writing to shared memory...");
        try
        {
            if (!lib.Set(text))
                Console.Error.WriteLine("parent: the text was cut to fit the mapping's {0} characters", SharedMemory.Capacity - 1);
        }
        catch (SharedMemException e)
        {
            Console.Error.WriteLine("parent: " + e.Message);
            return 1;
        }
        var start = new ProcessStartInfo { UseShellExecute = false };
        bool windows = Environment.OSVersion.Platform != PlatformID.Unix;
        if (args.Length > 0 && windows)
        {
            // The program is the first word, quoted or not, as CreateProcess takes the line.
            string line = args[0];
            int end = line.StartsWith("\"") ? line.IndexOf('"', 1) : line.IndexOf(' ');
            start.FileName = end < 0 ? line.Trim('"') : line.Substring(0, end).Trim('"');
            start.Arguments = end < 0 ? "" : line.Substring(end + 1).TrimStart();
        }
        else if (args.Length > 0)
        {
            start.FileName = "/bin/sh";
            start.Arguments = "-c '" + args[0].Replace("'", "'\\''") + "'";
        }
        else
        {
            string child = Path.Combine(SharedMemory.ProgramDirectory, "child-cs.exe");
            start.FileName = windows ? child : "mono";
            start.Arguments = windows ? "" : "\"" + child + "\"";
        }
        try
        {
            using (var p = Process.Start(start))
            {
                p.WaitForExit();
                return p.ExitCode;
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("parent: starting the child failed: " + e.Message);
            return 1;
        }
    }
}
