/* hello32 prints a known line: built for 386, it tells whether this Wine
 * runs 32-bit programs at all (without wine32 one prints nothing and
 * exits 0, so only its output can tell). */
#include <stdio.h>

int main(void) {
	puts("hello from 386");
	return 0;
}
