// Package config holds the answers that describe a generated project and the
// rules they must satisfy. Every value reaches the templates only after
// Validate has accepted it, so templates never have to defend themselves.
package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dustin/go-humanize"

	"github.com/shmemgen/shmemgen/internal/lazyregexp"
)

// DefaultName is the sample's mapping name, and DefaultTrust the trust
// mode that shields a default project from squatters (docs/security.md).
// Every other default is only in its row of Inputs.
const (
	DefaultName  = "dllmemfilemap"
	DefaultTrust = TrustOwner
)

// The --trust modes: what a process checks before it trusts objects it
// finds under its names. See docs/security.md.
const (
	// TrustHeader trusts any section with this build's header.
	TrustHeader = "header"
	// TrustOwner also requires every object's owner to be this process's
	// user, its token's default owner, Administrators, SYSTEM or --owner.
	TrustOwner = "owner"
	// TrustNamespace creates the objects in a private namespace bounded by
	// the user's SID, or --owner.
	TrustNamespace = "namespace"
)

// TrustModes are the values --trust takes.
var TrustModes = []string{TrustHeader, TrustOwner, TrustNamespace}

// Architectures are the Windows architectures a project can be built for,
// as GOARCH names them.
var Architectures = []string{"amd64", "386"}

// BindingLanguages are the languages --bindings takes, besides C and Go,
// which every project has: each gets bindings/LANGUAGE/.
var BindingLanguages = []string{"csharp", "python", "rust"}

// Systems are the operating systems a project can be built for, as GOOS
// names them.
var Systems = []string{"windows", "linux"}

// MaxPOSIXNameLen is the longest POSIX shared-memory name, without its
// leading slash: NAME_MAX, as the name is a file in /dev/shm on Linux.
const MaxPOSIXNameLen = 255

// Limits on the mapping.
const (
	MinSize = 4
	MaxSize = 1 << 40 // 1 TiB
	// Max386Size is the largest --size with --arch 386 (see checkSize386).
	Max386Size = 1 << 30 // 1 GiB
	// MaxNameLen leaves room, within MAX_PATH UTF-16 code units, for the
	// names of the lock and the wake event: the mapping's name and
	// LockSuffix or WakeSuffix, which are as long as each other.
	MaxNameLen = 260 - len(LockSuffix)
	MaxDLLLen  = 64
	// LockSuffix makes the lock's name from the mapping's: kernel objects
	// share one namespace, so the two names must differ.
	LockSuffix = ".lock"
	// WakeSuffix makes the name of the event that wakes the lock's waiters,
	// and ChangedSuffix that of the event that wakes the wait export's
	// (".note" named a semaphore before layout version 3).
	// All three suffixes are as long as each other.
	WakeSuffix    = ".wake"
	ChangedSuffix = ".wait"
	localPrefix   = `Local\`
	globalPrefx   = `Global\`
)

// Config is the complete, flag-independent description of a project.
//
// It is also the inputs section of the answers file, shmemgen.yaml, as is:
// each field's yaml key is the name of the flag that sets it, and each field
// is declared, with its flag, default and help, by its row in Inputs.
type Config struct {
	// Name is the file-mapping object's name, optionally prefixed with
	// Local\ or Global\.
	Name string `yaml:"name"`
	// Size is the mapping size in bytes.
	Size uint64 `yaml:"size"`
	// Set and Get are the names of the write and read exports.
	Set string `yaml:"set"`
	Get string `yaml:"get"`
	// DLL is the DLL's base name, without .dll.
	DLL string `yaml:"dll"`
	// Module is the generated go.mod's module path.
	Module string `yaml:"module"`

	// WriteBytes, ReadBytes, SizeExport, Length, Wait and Status name the
	// byte writer and reader, the payload size, the stored string's length,
	// the wait for a change and the calling thread's last status.
	WriteBytes string `yaml:"write-bytes"`
	ReadBytes  string `yaml:"read-bytes"`
	SizeExport string `yaml:"size-export"`
	Length     string `yaml:"length"`
	Wait       string `yaml:"wait"`
	Status     string `yaml:"status"`
	// LockTimeout bounds every wait for the cross-process lock.
	LockTimeout Duration `yaml:"lock-timeout"`
	// SDDL, when set, is the security descriptor of the mapping and its
	// lock; when empty they get the default DACL.
	SDDL string `yaml:"sddl,omitempty"`
	// Arch lists the architectures build.sh builds for, comma-separated
	// GOARCH names (amd64, 386), as --arch takes them.
	Arch string `yaml:"arch"`
	// Unlink names the export that removes the segment's POSIX name (on
	// Windows it does nothing).
	Unlink string `yaml:"unlink"`
	// OS lists the systems build.sh builds for, comma-separated GOOS names
	// (windows, linux), as --os takes them.
	OS string `yaml:"os"`
	// Mode is the octal permission mode of the POSIX segment, shm_open's
	// mode: the POSIX counterpart of SDDL.
	Mode string `yaml:"mode"`
	// FileVersion is the version the DLL and the hosts carry in their
	// VERSIONINFO resources: one to four dot-separated numbers, each at
	// most 65535.
	FileVersion string `yaml:"file-version"`
	// Trust is what the DLL checks before it trusts the objects it finds
	// under its names: one of TrustModes.
	Trust string `yaml:"trust"`
	// Owner, when set, is a SID string (S-1-5-18) that --trust owner also
	// accepts as the objects' owner, and that --trust namespace bounds the
	// private namespace with instead of the user's SID.
	Owner string `yaml:"owner,omitempty"`
	// Bindings lists the languages, besides C and Go, whose bindings the
	// project carries under bindings/: comma-separated names from
	// Bindings, as --bindings takes them; empty for none.
	Bindings string `yaml:"bindings,omitempty"`

	// Record, when set, is the typed record shared in the mapping, and
	// Types the other records its fields may use (record.go).
	Record *Record  `yaml:"record,omitempty"`
	Types  []Record `yaml:"types,omitempty"`
	// ReadRecord and WriteRecord name the record's whole-record reader and
	// writer, exported only with a record; empty means
	// DefaultReadRecord and DefaultWriteRecord (RecordExports).
	ReadRecord  string `yaml:"read-record,omitempty"`
	WriteRecord string `yaml:"write-record,omitempty"`
	// WriteRecordRange names the export that writes a byte range of the
	// record (one field, an array slice), which the header's typed setters
	// call; empty means DefaultWriteRecordRange.
	WriteRecordRange string `yaml:"write-record-range,omitempty"`
}

// Duration is a time.Duration written as "5s" in answers files.
type Duration time.Duration

// MarshalText writes d the way time.ParseDuration reads it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a duration such as "5s" or "250ms". Its error names
// no flag: Input.Set gives it the flag of the input read.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return &Error{Value: string(text), Rule: "must be a duration such as 5s or 250ms"}
	}
	*d = Duration(v)
	return nil
}

// Systems lists the operating systems in OS, in the order given.
func (c Config) Systems() []string {
	return strings.Split(c.OS, ",")
}

// HasOS reports whether OS lists goos.
func (c Config) HasOS(goos string) bool {
	for _, s := range c.Systems() {
		if s == goos {
			return true
		}
	}
	return false
}

// POSIXName is the POSIX shared-memory name of the segment: the mapping
// name without its Local\ or Global\ prefix, after a slash. Both prefixes
// give the same name: Linux has one namespace per IPC namespace.
func (c Config) POSIXName() string {
	return "/" + c.BaseName()
}

// ModeBits is Mode as a number. Mode must be valid.
func (c Config) ModeBits() uint32 {
	n, _ := strconv.ParseUint(c.Mode, 8, 32)
	return uint32(n)
}

// FileVersionParts is FileVersion as VERSIONINFO takes it: four numbers,
// missing ones 0. FileVersion must be valid.
func (c Config) FileVersionParts() [4]uint16 {
	var v [4]uint16
	for i, p := range strings.Split(c.FileVersion, ".") {
		n, _ := strconv.ParseUint(p, 10, 16)
		v[i] = uint16(n)
	}
	return v
}

// Arches lists the architectures in Arch, in the order given.
func (c Config) Arches() []string {
	return strings.Split(c.Arch, ",")
}

// HasBinding reports whether Bindings lists language.
func (c Config) HasBinding(language string) bool {
	return c.Bindings != "" && slices.Contains(strings.Split(c.Bindings, ","), language)
}

// HasArch reports whether Arch lists arch.
func (c Config) HasArch(arch string) bool {
	for _, a := range c.Arches() {
		if a == arch {
			return true
		}
	}
	return false
}

// DefaultModule is the module path used when --module is not given.
func DefaultModule(outBase string) string {
	return "example.com/" + outBase
}

// DeriveModule gives c, whose module was not given, the default module of
// a project written to out: DefaultModule of out's base name. A default
// that breaks the module's rule is blamed on the flag it came from: --out
// when outGiven, else --name, whose default --out it is.
func (c *Config) DeriveModule(out string, outGiven bool) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	c.Module = DefaultModule(filepath.Base(abs))
	var ce *Error
	if err := c.Validate(); errors.As(err, &ce) && ce.Flag == "module" {
		rule := strings.TrimPrefix(ce.Rule, "is ")
		if outGiven {
			return &Error{Flag: "out", Value: out,
				Rule: fmt.Sprintf("gives the default --module %s, which is %s: give --module", Quote(c.Module), rule)}
		}
		return &Error{Flag: "name", Value: c.Name,
			Rule: fmt.Sprintf("gives the default --out %s and --module %s, which is %s: give --module", Quote(out), Quote(c.Module), rule)}
	}
	return nil
}

// BaseName is the mapping name without its Local\ or Global\ prefix.
func (c Config) BaseName() string {
	_, rest := splitPrefix(c.Name)
	return rest
}

// Global reports whether the mapping lives in the Global\ namespace.
func (c Config) Global() bool {
	prefix, _ := splitPrefix(c.Name)
	return prefix == globalPrefx
}

// DefaultOut is the output directory used when --out is not given: the
// mapping name without its prefix, when that is a safe single directory
// name on both Windows and Unix.
func DefaultOut(name string) (string, error) {
	_, base := splitPrefix(name)
	if err := checkDirName(base); err != nil {
		return "", &Error{Flag: "out", Value: "", Rule: fmt.Sprintf("is required: the default, the mapping name %s, %v", Quote(base), err)}
	}
	return "." + string(filepath.Separator) + base, nil
}

func splitPrefix(name string) (prefix, rest string) {
	for _, p := range []string{localPrefix, globalPrefx} {
		if strings.HasPrefix(name, p) {
			return p, name[len(p):]
		}
	}
	return "", name
}

// ParseSize reads a size given in bytes ("4096") or binary units ("64KiB",
// "1MiB", "1GiB"). Decimal units such as "64KB" are refused rather than
// silently read as 64000 bytes, and so are fractions.
func ParseSize(s string) (uint64, error) {
	m := sizePattern().FindStringSubmatch(s)
	if m == nil {
		return 0, &Error{Flag: "size", Value: s, Rule: "must be a whole number of bytes or binary units (4096, 64KiB, 1MiB, 1GiB)"}
	}
	if unit := strings.ToLower(m[2]); unit != "" && unit != "b" && !strings.Contains(unit, "i") {
		return 0, &Error{Flag: "size", Value: s, Rule: "must use binary units (KiB, MiB, GiB, TiB), not decimal ones"}
	}
	n, err := humanize.ParseBytes(m[1] + m[2])
	if err != nil {
		return 0, &Error{Flag: "size", Value: s, Rule: "must be a whole number of bytes or binary units (4096, 64KiB, 1MiB, 1GiB)"}
	}
	return n, nil
}

var sizePattern = lazyregexp.New(`^\s*([0-9][0-9,]*)\s*([A-Za-z]*)\s*$`)

// FormatSize renders a byte count the way ParseSize reads it back, in the
// largest binary unit that divides it exactly.
func FormatSize(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for i < len(units)-1 && n >= 1024 && n%1024 == 0 {
		n /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d", n)
	}
	return fmt.Sprintf("%d%s", n, units[i])
}

// Error is a rejected value: the flag it came from, the value and the rule it
// broke. Its message is the one line a user sees.
type Error struct {
	Flag  string
	Value string
	Rule  string
}

func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("--%s %s", e.Flag, e.Rule)
	}
	return fmt.Sprintf("--%s %s %s", e.Flag, Quote(e.Value), e.Rule)
}

// Quote puts s in double quotes for a message, as it would be typed:
// backslashes, common in mapping names, stay single. Only a value that
// holds a quote, a control character or invalid UTF-8 is Go-escaped, so
// that the message stays one honest line.
func Quote(s string) string {
	if !utf8.ValidString(s) || strings.ContainsRune(s, '"') || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return `"` + s + `"`
}
