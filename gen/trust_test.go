package gen

import (
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// TestTrustModes renders each --trust mode and checks that the setup does
// what the mode promises and nothing another mode does: owner reads every
// object's owner and mandatory label, with READ_CONTROL, and names its own
// objects' owner; namespace creates the names in a private namespace,
// bounded by an integrity label too, and never falls back to the plain
// ones; header does neither, and reads no integrity level. Each mode's code
// is a file of its own, rendered only when the mode is chosen. --owner reaches the code only
// where a mode uses it, and the reproducing command names both flags.
func TestTrustModes(t *testing.T) {
	owner := "S-1-5-21-1-2-3-1001"
	for _, tc := range []struct {
		trust, owner string
		want, not    []string
	}{
		{config.TrustHeader, "", []string{"func checkOwner(windows.Handle) uint32 { return 0 }", "const ownerRights = 0"},
			[]string{"GetSecurityInfo", "PrivateNamespace", "expectedOwner", "TokenIntegrityLevel", "IntegrityLabel"}},
		{config.TrustOwner, "", []string{"windows.GetSecurityInfo(h, windows.SE_KERNEL_OBJECT, windows.OWNER_SECURITY_INFORMATION|windows.LABEL_SECURITY_INFORMATION)",
			"if mandatoryLevel(sd) < floor {", "windows.TokenIntegrityLevel",
			"const ownerRights = windows.READ_CONTROL", `sddl = "O:" + owner.String() + sddl`, "WinBuiltinAdministratorsSid", "WinLocalSystemSid"},
			[]string{"PrivateNamespace", "expectedOwner", "IntegrityLabel"}},
		{config.TrustOwner, owner, []string{"windows.StringToSid(expectedOwner)", `const expectedOwner = "` + owner + `"`}, []string{"PrivateNamespace"}},
		{config.TrustNamespace, "", []string{"CreatePrivateNamespaceW", "OpenPrivateNamespaceW", "token.GetTokenUser()",
			`NewProc("AddIntegrityLabelToBoundaryDescriptor")`, "procAddIntegrityLabel.Call(uintptr(unsafe.Pointer(&bd)), uintptr(unsafe.Pointer(label)))",
			"return 0, uint32(windows.ERROR_CALL_NOT_IMPLEMENTED)", "const ownerRights = 0"},
			[]string{"GetSecurityInfo", "expectedOwner"}},
		{config.TrustNamespace, owner, []string{"windows.StringToSid(expectedOwner)", "CreatePrivateNamespaceW"}, []string{"GetSecurityInfo"}},
	} {
		c := config.Default("x")
		c.Trust, c.Owner = tc.trust, tc.owner
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		files, err := Render(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// The setup is the DLL's Go files, one of them the chosen mode's
		// own, and no other mode's.
		var src string
		for _, f := range files {
			if strings.HasPrefix(f.Path, "dll/") && strings.HasSuffix(f.Path, ".go") && !strings.HasSuffix(f.Path, "_test.go") {
				src += string(f.Data)
			}
		}
		for _, mode := range config.TrustModes {
			path := "dll/trust_" + mode + "_windows.go"
			if _, ok := files.Lookup(path); ok != (mode == tc.trust) {
				t.Errorf("--trust %s: %s rendered: %v", tc.trust, path, ok)
			}
		}
		for _, path := range []string{"dll/integrity_windows.go", "dll/integrity_windows_test.go"} {
			if _, ok := files.Lookup(path); ok != (tc.trust != config.TrustHeader) {
				t.Errorf("--trust %s: %s rendered: %v", tc.trust, path, ok)
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(src, w) {
				t.Errorf("--trust %s --owner %q: the setup lacks %q", tc.trust, tc.owner, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(src, n) {
				t.Errorf("--trust %s --owner %q: the setup holds %q", tc.trust, tc.owner, n)
			}
		}
		// Every object is checked, each before it is used.
		if tc.trust == config.TrustOwner && strings.Count(src, "checkOwner(") != 5 {
			t.Errorf("--trust owner: checkOwner is called %d times, want 4 calls and its definition", strings.Count(src, "checkOwner(")-1)
		}
		cmd := command(c)
		if strings.Contains(cmd, "--trust") != (tc.trust != config.DefaultTrust) || strings.Contains(cmd, "--owner") != (tc.owner != "") {
			t.Errorf("--trust %s --owner %q: the command is %s", tc.trust, tc.owner, cmd)
		}
	}
}
