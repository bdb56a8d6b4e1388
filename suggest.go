package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// undefinedFlagPrefix starts the flag package's message for an unknown flag.
const undefinedFlagPrefix = "flag provided but not defined: -"

// unknownFlagError rewrites the flag package's "flag provided but not
// defined: -nmae" as shmemgen's flags are written, with two dashes, and
// suggests the nearest flag of flags when one is close enough to be a typo.
func unknownFlagError(err error, flags []cli.Flag) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, undefinedFlagPrefix)
	if !ok {
		return err
	}
	name = strings.TrimPrefix(name, "-")
	text := "unknown flag --" + name
	if best := nearestFlag(name, flags); best != "" {
		text += ": did you mean --" + best + "?"
	}
	return usagef("%s", text)
}

// nearestFlag is the name or alias of flags closest to name in edit
// distance, or "" when none is within a third of the name's length (at
// least 1, at most 3).
func nearestFlag(name string, flags []cli.Flag) string {
	limit := min(max(len(name)/3, 1), 3)
	best, bestDist := "", limit+1
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) < 2 || n == "help" || n == "generate-bash-completion" {
				continue
			}
			if d := editDistance(name, n); d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// bytes each cost 1.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
