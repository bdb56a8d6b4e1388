package gen

import "testing"

func TestBindingLiterals(t *testing.T) {
	var m Model
	s := "a\"b\\c\u00a0d😀\x7f"
	for _, tc := range []struct{ got, want string }{
		{m.PyLiteral(s), `"a\"b\\c\u00a0d\U0001f600\u007f"`},
		{m.CSLiteral(s), `"a\"b\\c\u00a0d\U0001f600\u007f"`},
		{m.RustLiteral(s), `"a\"b\\c\u{a0}d\u{1f600}\u{7f}"`},
		{m.PyLiteral(""), `""`},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}
