package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/verify"
)

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "build a generated project and prove its ABI and its round trip",
		UsageText: "shmemgen verify [--text TEXT] [--pair c|go|all] [--keep-prefix] [--json] [DIR]",
		ArgsUsage: "[DIR]",
		Description: `Verifies the shmemgen project in DIR (the argument or --dir; default: the nearest
directory upward from the working directory that holds a shmemgen.yaml). verify EXECUTES THE PROJECT'S OWN BUILD SCRIPT (build.sh, or
build.ps1 on Windows): run it only on a project you trust. Then, step by step:

   build    runs the build script, showing its progress
   record   for a project with a typed record: the header the build made has
            the record's layout hash, which verify prints, for comparing with
            a peer's (a library built for another layout finds BAD_LAYOUT)
   exports  the DLL's export table holds exactly the exports shmemgen.yaml names,
            and nothing else (no cgo internals)
   imports  the DLL imports only system DLLs (KERNEL32, msvcrt, ADVAPI32, ...)
   wine     elsewhere than Windows: makes a private Wine prefix with the
            ProcessPrng stub Go programs need under Wine 8, a clone of a
            template the first run keeps in ~/.cache/shmemgen/wineprefix
            (10-15 s and about 700 MB, once per Wine installation)
   c, go    runs each parent with TEXT and checks that its child printed it
   exports-linux, c-linux, go-linux
            for a project whose --os includes linux, on Linux: the same for
            bin/lib<dll>.so (its dynamic symbol table) and the Linux hosts,
            run natively

Each step prints a line as it starts, if it takes a while, and one with its
duration when it ends; a round trip that passes prints "ok". A failing step
ends the run: verify exits 1 naming it. The last line sums the run up:
"verify: ok, N steps, TIME" or "verify: FAILED at STEP, N steps, TIME".
With --json, the report is printed as one JSON document on stdout, and the
progress goes to stderr. Under Wine, mingw-w64 and Wine must be installed
(apt-get install mingw-w64 wine wine64); the prefix is removed afterwards
unless --keep-prefix.

Examples:

   shmemgen verify
   shmemgen new -o jobs && shmemgen verify jobs
   shmemgen verify --pair go --text 'hello, world' --keep-prefix jobs
   shmemgen verify --json jobs | jq '.steps[] | select(.ok | not)'`,
		OnUsageError: onUsageError,
		Flags: []cli.Flag{
			dirFlag(),
			&cli.StringFlag{Name: "text", Value: verify.DefaultText, Usage: "`TEXT` each parent writes and each child must print"},
			&cli.StringFlag{Name: "pair", Value: "all", Usage: "which parent and child to run: c, go or all"},
			&cli.BoolFlag{Name: "keep-prefix", Usage: "under Wine, keep the prefix for inspection and print how to use it"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as one JSON document"},
		},
		Action: runVerify,
	}
}

func runVerify(c *cli.Context) error {
	pairs, ok := verify.Pairs(c.String("pair"))
	if !ok {
		return usagef("--pair %s must be c, go or all", config.Quote(c.String("pair")))
	}
	dir, err := findProject(c)
	if err != nil {
		return err
	}
	// verify runs the project's build script: only in a project shmemgen
	// made, never in whatever directory has a dll/ folder.
	if _, err := os.Stat(filepath.Join(dir, answers.FileName)); errors.Is(err, fs.ErrNotExist) {
		return usagef("%s is not a shmemgen project: it has no %s (verify runs a project's own build script, so only in a project shmemgen new made)", dir, answers.FileName)
	} else if err != nil {
		return err
	}
	a, _, err := project.Load(dir)
	if err != nil {
		return err
	}

	progress := c.App.Writer
	if c.Bool("json") {
		progress = c.App.ErrWriter
	}
	report, err := verify.Run(c.Context, verify.Options{
		Dir:        dir,
		Inputs:     a.Inputs,
		Pairs:      pairs,
		Text:       c.String("text"),
		KeepPrefix: c.Bool("keep-prefix"),
		Progress:   progress,
	})
	if c.Bool("json") {
		data, jerr := json.MarshalIndent(report, "", "  ")
		if jerr != nil {
			return jerr
		}
		fmt.Fprintf(c.App.Writer, "%s\n", data)
	}
	return err
}
