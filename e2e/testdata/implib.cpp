// implib is a C++ host of shmem.dll that links through the import library
// (-lshmem, libshmem.dll.a) and never names the DLL itself: no LoadLibrary,
// no shmem.dll on the link line. It writes its argument through every
// export it can, reads it back and prints what it read.
#include <cstdio>
#include <cstring>

#include "shmem.h"

int wmain(int argc, wchar_t **argv) {
	wchar_t buf[64];
	LPWSTR text = (LPWSTR)(argc > 1 ? argv[1] : L"through the import library");
	if (!SetSharedMem(text)) {
		std::printf("set failed: status %lu\n", (unsigned long)SharedMemLastError());
		return 1;
	}
	if (!GetSharedMem(buf, sizeof buf / sizeof buf[0])) {
		std::printf("get failed: status %lu\n", (unsigned long)SharedMemLastError());
		return 1;
	}
	std::printf("read: %ls\n", buf);
	std::printf("length: %llu\n", (unsigned long long)SharedMemLength());
	std::printf("size: %llu\n", (unsigned long long)SharedMemSize());
	unsigned char in[4] = {1, 2, 3, 4}, out[4] = {0};
	BOOL w = WriteSharedBytes(in, SharedMemSize() - 4, 4);
	BOOL r = ReadSharedBytes(out, SharedMemSize() - 4, 4);
	std::printf("bytes: %d %d %d\n", (int)w, (int)r, (int)(std::memcmp(in, out, 4) == 0));
	ULONGLONG generation = 0;
	std::printf("wait: %d\n", (int)(WaitSharedMem(&generation, 0) && generation > 0));
	std::printf("unlink: %d\n", (int)UnlinkSharedMem()); // TRUE, and nothing more, on Windows
	return 0;
}
