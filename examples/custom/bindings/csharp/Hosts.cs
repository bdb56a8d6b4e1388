// Hosts is what Parent.cs and Child.cs share: built into each.
using System;
using System.IO;
using System.Text;
using SharedMem;

// Hosts is what the parent and the child share.
static class Hosts
{
    // Print writes a line to standard output as UTF-8, whatever the locale,
    // and flushes it: a child writes to the same output.
    public static void Print(string line)
    {
        byte[] b = new UTF8Encoding(false).GetBytes(line + "\n");
        using (Stream o = Console.OpenStandardOutput())
        {
            o.Write(b, 0, b.Length);
            o.Flush();
        }
    }

    // Unlink is --unlink: it removes the segment's name on Linux, so that
    // the next process creates it afresh.
    public static int Unlink(string who)
    {
        try
        {
            new SharedMemory().Unlink();
        }
        catch (Exception e)
        {
            if (!(e is SharedMemException || e is DllNotFoundException))
                throw;
            Console.Error.WriteLine(who + ": " + e.Message);
            return 1;
        }
        if (Environment.OSVersion.Platform != PlatformID.Unix)
            Print(who + ": nothing to remove on Windows: a mapping goes away with its last handle");
        else
            Print(who + ": removed " + SharedMemory.Segment + "; the next process creates it afresh");
        return 0;
    }
}
