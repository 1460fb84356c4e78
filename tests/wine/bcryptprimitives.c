/* A stand-in for Windows' bcryptprimitives.dll, for running the cross-built recourse.exe under
 * Wine 8 (Debian 12's), which lacks it: Rust's std (1.78 and later) takes its random bytes
 * from ProcessPrng there, which Windows 10 and later have. It forwards to RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. Only the Wine tests put it beside the exe;
 * the Windows build and installer never ship it. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
