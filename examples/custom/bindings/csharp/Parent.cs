// Parent writes a string into shared memory through the library, with the C#
// binding (SharedMem.cs), starts the child and waits for it; it exits with
// the child's status, as hosts/c/parent.c does.
//
// Usage: parent-cs.exe [CHILD_COMMAND_LINE [TEXT]]
//        parent-cs.exe --record JSON [CHILD_COMMAND_LINE]
//        parent-cs.exe --unlink
//
// CHILD_COMMAND_LINE defaults to child-cs.exe beside this program (run with
// mono on Linux), TEXT to "This is a test string". On Linux a
// CHILD_COMMAND_LINE given is run by /bin/sh -c, on Windows as CreateProcess
// parses it.
//
// --record writes the typed record from JSON (an object of its fields)
// instead of the text, and starts the child with --record, which prints it
// back as one line of JSON.
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
        bool record = args.Length > 0 && args[0] == "--record";
        if (args.Length > (record ? 3 : 2) || (record && args.Length < 2))
        {
            Console.Error.WriteLine("usage: parent [CHILD_COMMAND_LINE [TEXT]]\n       parent --record JSON [CHILD_COMMAND_LINE]\n       parent --unlink");
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
        if (record)
        {
            try
            {
                lib.WriteRecordJson(args[1]);
            }
            catch (Exception e)
            {
                if (!(e is SharedMemException || e is FormatException))
                    throw;
                Console.Error.WriteLine("parent: " + e.Message);
                return 1;
            }
            return RunChild(args.Length > 2 ? args[2] : null, " --record");
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
        return RunChild(args.Length > 0 ? args[0] : null, "");
    }

    // RunChild runs the child's command line, or child-cs.exe beside this
    // program, with arg (" --record" or "") after it, and returns its exit
    // status.
    static int RunChild(string given, string arg)
    {
        var start = new ProcessStartInfo { UseShellExecute = false };
        bool windows = Environment.OSVersion.Platform != PlatformID.Unix;
        if (given != null && windows)
        {
            // The program is the first word, quoted or not, as CreateProcess takes the line.
            string line = given + arg;
            int end = line.StartsWith("\"") ? line.IndexOf('"', 1) : line.IndexOf(' ');
            start.FileName = end < 0 ? line.Trim('"') : line.Substring(0, end).Trim('"');
            start.Arguments = end < 0 ? "" : line.Substring(end + 1).TrimStart();
        }
        else if (given != null)
        {
            start.FileName = "/bin/sh";
            start.Arguments = "-c '" + (given + arg).Replace("'", "'\\''") + "'";
        }
        else
        {
            string child = Path.Combine(SharedMemory.ProgramDirectory, "child-cs.exe");
            start.FileName = windows ? child : "mono";
            start.Arguments = (windows ? "" : "\"" + child + "\"") + arg;
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
