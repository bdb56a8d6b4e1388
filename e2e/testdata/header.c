/* header compiles shmem.h as a C caller takes it: every export and every
 * PFN_ type used, under the warnings the hosts are held to. */
#include "shmem.h"

int main(void) {
	WCHAR buf[8];
	PFN_SetSharedMem set = SetSharedMem;
	PFN_GetSharedMem get = GetSharedMem;
	PFN_WriteSharedBytes wb = WriteSharedBytes;
	PFN_ReadSharedBytes rb = ReadSharedBytes;
	PFN_SharedMemSize size = SharedMemSize;
	PFN_SharedMemLength length = SharedMemLength;
	PFN_WaitSharedMem wait = WaitSharedMem;
	ULONGLONG generation = 0;
	PFN_SharedMemLastError status = SharedMemLastError;
	BOOL ok = set((LPWSTR)L"x") && get(buf, 8) && wb(buf, 0, 2) && rb(buf, 0, 2) && wait(&generation, 0);
	return ok && size() > length() ? (int)status() : 1;
}
