# Builds the DLL, its header, its import library and both pairs of host
# programs on Windows, with Go and a MinGW-w64 gcc on PATH, for the
# architectures build.env names: amd64 into bin\, 386 into bin\386\ (with a
# 32-bit MinGW-w64 gcc). What the build takes from shmemgen.yaml (the DLL's
# name, the architectures) it reads from build.env, which shmemgen
# generates, as build.sh does: this script is yours, and never changes with
# an input. Override the C compiler with $env:CC ($env:CC_386 for 386), its
# flags with $env:CFLAGS, MinGW's dlltool with $env:DLLTOOL ($env:DLLTOOL_386)
# and windres with $env:WINDRES. Each step prints a line as it starts and one
# with its time when it ends. Where MSVC's lib.exe is on PATH (a Developer PowerShell), it
# also makes the MSVC import library bin\NAME.lib.
#
# The bindings build.env names (bindings) go into bin\, beside the amd64
# DLL, as ./build.sh puts them:
#   C#: bin\parent-cs.exe, bin\child-cs.exe, with mcs or csc where one is on PATH
#   Python: bin\parent.py, bin\child.py, bin\sharedmem.py, copied
#   Rust: bin\parent-rs.exe, bin\child-rs.exe, with rustc ($env:RUSTC) where it is on PATH
#
# Run it, do not dot-source it (. ./build.ps1): it runs in your session, and
# it puts back the working location and the environment variables it sets
# (GOOS, GOARCH, CGO_ENABLED, CC) as they were when it ends, even when a
# step fails or you press Ctrl+C; a variable that was unset is unset again.
#
# Windows' default execution policy (Restricted on clients) refuses to run
# scripts, and RemoteSigned refuses a downloaded one. To run it once without
# changing the policy:
#
#   powershell -ExecutionPolicy Bypass -File build.ps1
#
# or mark a downloaded copy as local with Unblock-File build.ps1, or allow
# local scripts for yourself with
# Set-ExecutionPolicy -Scope CurrentUser RemoteSigned.
$ErrorActionPreference = 'Stop'

# build.env's settings, NAME=VALUE or NAME="VALUE": dll, the library's base
# name, arches, the architectures to build, and bindings, the bindings.
$buildEnv = @{}
foreach ($line in Get-Content -Path (Join-Path $PSScriptRoot 'build.env')) {
    if ($line -match '^(\w+)="?([^"]*)"?$') {
        $buildEnv[$Matches[1]] = $Matches[2]
    }
}
$dll = $buildEnv['dll']
$arches = -split $buildEnv['arches']
$bindings = -split $buildEnv['bindings']

# Run a native command and stop at its first failure, which
# $ErrorActionPreference alone does not do for native commands.
function Invoke-Native {
    param([string]$Command, [string[]]$Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$Command exited with status $LASTEXITCODE"
    }
}

# Run a native command as a step: say what it builds and how long it took.
function Invoke-Step {
    param([string]$What, [string]$Command, [string[]]$Arguments)
    Write-Output "building $What"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    Invoke-Native $Command $Arguments
    Write-Output ('built    {0} in {1:0.0}s' -f $What, $watch.Elapsed.TotalSeconds)
}

$windres = if ($env:WINDRES) { $env:WINDRES } else { 'windres' }
$cflags = if ($env:CFLAGS) { -split $env:CFLAGS } else { @('-O2', '-Wall', '-Wextra') }
# Saved before anything can fail, and put back in the finally below.
$saved = @{}
foreach ($name in 'GOOS', 'GOARCH', 'CGO_ENABLED', 'CC') {
    $saved[$name] = [Environment]::GetEnvironmentVariable($name, 'Process')
}
$all = [Diagnostics.Stopwatch]::StartNew()
$built = @()
Push-Location -Path $PSScriptRoot
try {
    # Build everything for one GOARCH into $Out with the C compiler $CC,
    # dlltool $DllTool, windres's target $RcTarget and, for MSVC's import
    # library, lib.exe's $Machine.
    function Build-Arch {
        param([string]$GoArch, [string]$Out, [string]$CC, [string]$DllTool, [string]$RcTarget, [string]$Machine)
        New-Item -ItemType Directory -Force -Path "$Out/obj" | Out-Null

        # The version resources, from version.rc (file-version in shmemgen.yaml): a
        # .syso file in each Go package, which go build links in, and an
        # object file for each C host.
        Write-Output "building version resources ($GoArch)"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        foreach ($pkg in @(@('VI_DLL', 'dll'), @('VI_PARENT_GO', 'hosts/go/parent'), @('VI_CHILD_GO', 'hosts/go/child'))) {
            Invoke-Native $windres @("--target=$RcTarget", "-D$($pkg[0])", '-O', 'coff', '-i', 'version.rc', '-o', "$($pkg[1])/version_windows_$GoArch.syso")
        }
        Invoke-Native $windres @("--target=$RcTarget", '-DVI_PARENT', '-O', 'coff', '-i', 'version.rc', '-o', "$Out/obj/parent-version.o")
        Invoke-Native $windres @("--target=$RcTarget", '-DVI_CHILD', '-O', 'coff', '-i', 'version.rc', '-o', "$Out/obj/child-version.o")
        Write-Output ('built    version resources ({0}) in {1:0.0}s' -f $GoArch, $watch.Elapsed.TotalSeconds)

        $env:GOOS = 'windows'
        $env:GOARCH = $GoArch

        # The DLL records the name it is built under: build it under its final name.
        $env:CGO_ENABLED = '1'
        $env:CC = $CC
        # The generated exports are C, declared in dll/api.h. cgo writes a header
        # only for Go exports, which dll/user.go may add: it becomes NAME_go.h.
        # Without a Go export, Go's linker would export a placeholder,
        # _cgo_stub_export; the extldflags stop it writing its export list, so
        # that the DLL exports exactly its dllexport functions. -static-libgcc:
        # on 386, 64-bit division calls libgcc's __udivdi3, which gcc would
        # otherwise import from libgcc_s_dw2-1.dll, a DLL Windows does not have.
        $extldflags = '-static-libgcc'
        if (-not (Select-String -Quiet -Pattern '^//export ' -Path 'dll/*.go')) {
            $extldflags += ' -Wl,--export-all-symbols -Wl,--exclude-all-symbols'
        }
        Remove-Item -Force -ErrorAction SilentlyContinue -Path "$Out/$dll.h", "$Out/${dll}_go.h"
        Invoke-Step "$Out\$dll.dll" go @('build', '-buildmode=c-shared', '-trimpath', '-ldflags', "-extldflags '$extldflags'", '-o', "$Out/$dll.dll", './dll')
        if (Test-Path "$Out/$dll.h") {
            Move-Item -Path "$Out/$dll.h" -Destination "$Out/${dll}_go.h"
        }
        Copy-Item -Force -Path 'dll/api.h' -Destination "$Out/$dll.h"

        # The import libraries, for linkers that want one rather than the DLL
        # itself, made from the module-definition file dll/exports.def: MinGW's
        # (-L$Out -lNAME) and, where lib.exe is on PATH, MSVC's. The
        # exports are __cdecl on 386 too: undecorated.
        Copy-Item -Force -Path 'dll/exports.def' -Destination "$Out/$dll.def"
        Invoke-Step "$Out\lib$dll.dll.a" $DllTool @('--input-def', "$Out/$dll.def", '--dllname', "$dll.dll", '--output-lib', "$Out/lib$dll.dll.a")
        if (Get-Command 'lib.exe' -ErrorAction SilentlyContinue) {
            Invoke-Step "$Out\$dll.lib" 'lib.exe' @('/nologo', "/def:$Out\$dll.def", "/machine:$Machine", "/out:$Out\$dll.lib")
        } else {
            Write-Output "skipped  $Out\$dll.lib: lib.exe, MSVC's librarian, is not on PATH (run from a Developer PowerShell to make it)"
        }

        # The C hosts link against the DLL itself and include its header.
        Invoke-Step "$Out\parent.exe" $CC ($cflags + @('-municode', "-I$Out", '-o', "$Out/parent.exe", 'hosts/c/parent.c', "$Out/obj/parent-version.o", "$Out/$dll.dll"))
        Invoke-Step "$Out\child.exe" $CC ($cflags + @('-municode', "-I$Out", '-o', "$Out/child.exe", 'hosts/c/child.c', "$Out/obj/child-version.o", "$Out/$dll.dll"))

        $env:CGO_ENABLED = '0'
        Invoke-Step "$Out\parent-go.exe" go @('build', '-trimpath', '-o', "$Out/parent-go.exe", './hosts/go/parent')
        Invoke-Step "$Out\child-go.exe" go @('build', '-trimpath', '-o', "$Out/child-go.exe", './hosts/go/child')
        foreach ($f in "$dll.dll", "$dll.h", "$dll.def", "lib$dll.dll.a", 'parent.exe', 'child.exe', 'parent-go.exe', 'child-go.exe') {
            $script:built += "$Out\$f"
        }
    }

    if ($arches -contains 'amd64') {
        $cc = if ($env:CC) { $env:CC } else { 'gcc' }
        $dlltool = if ($env:DLLTOOL) { $env:DLLTOOL } else { 'dlltool' }
        Build-Arch -GoArch 'amd64' -Out 'bin' -CC $cc -DllTool $dlltool -RcTarget 'pe-x86-64' -Machine 'x64'
    }
    if ($arches -contains '386') {
        # 386: the same, 32-bit, with a 32-bit MinGW-w64 (MSYS2: mingw-w64-i686-gcc).
        $cc386 = if ($env:CC_386) { $env:CC_386 } else { 'i686-w64-mingw32-gcc' }
        $dlltool386 = if ($env:DLLTOOL_386) { $env:DLLTOOL_386 } else { 'i686-w64-mingw32-dlltool' }
        Build-Arch -GoArch '386' -Out 'bin\386' -CC $cc386 -DllTool $dlltool386 -RcTarget 'pe-i386' -Machine 'x86'
    }

    # The bindings build.env names (bindings), from bindings\ into bin\,
    # beside the amd64 DLL, as ./build.sh builds them: each step is skipped,
    # saying why, when its compiler is not on PATH.
    if ($bindings) {
        New-Item -ItemType Directory -Force -Path 'bin/obj' | Out-Null
    }
    if ($bindings -contains 'csharp') {
        # The C# binding, for .NET Framework 4.x, with Mono's mcs or a csc
        # (Visual Studio's, or a Developer PowerShell's); both take these flags.
        $csc = if (Get-Command 'mcs' -ErrorAction SilentlyContinue) { 'mcs' } elseif (Get-Command 'csc' -ErrorAction SilentlyContinue) { 'csc' } else { $null }
        if ($csc) {
            Invoke-Step 'bin\parent-cs.exe' $csc @('-nologo', '-unsafe', '-optimize+', '-warnaserror+', '-out:bin/parent-cs.exe', 'bindings/csharp/SharedMem.cs', 'bindings/csharp/Hosts.cs', 'bindings/csharp/Parent.cs')
            Invoke-Step 'bin\child-cs.exe' $csc @('-nologo', '-unsafe', '-optimize+', '-warnaserror+', '-out:bin/child-cs.exe', 'bindings/csharp/SharedMem.cs', 'bindings/csharp/Hosts.cs', 'bindings/csharp/Child.cs')
            $script:built += 'bin\parent-cs.exe', 'bin\child-cs.exe'
        } else {
            Write-Output 'skipped  bin\parent-cs.exe, bin\child-cs.exe: neither mcs (Mono) nor csc (Visual Studio, a Developer PowerShell) is on PATH'
        }
    }
    if ($bindings -contains 'python') {
        # The Python binding: the module and the programs, beside the DLL they load.
        foreach ($f in 'sharedmem.py', 'parent.py', 'child.py') {
            Copy-Item -Force -Path "bindings/python/$f" -Destination "bin/$f"
            $script:built += "bin\$f"
        }
    }
    if ($bindings -contains 'rust') {
        # The Rust binding: the sharedmem crate, then each program against it,
        # with rustc alone ($env:RUSTC names another), offline.
        $rustc = if ($env:RUSTC) { $env:RUSTC } else { 'rustc' }
        if (Get-Command $rustc -ErrorAction SilentlyContinue) {
            Invoke-Step 'bin\obj\libsharedmem.rlib' $rustc @('--edition', '2021', '-O', '-D', 'warnings', '--crate-type', 'rlib', '--crate-name', 'sharedmem', '-o', 'bin/obj/libsharedmem.rlib', 'bindings/rust/src/lib.rs')
            Invoke-Step 'bin\parent-rs.exe' $rustc @('--edition', '2021', '-O', '-D', 'warnings', '--crate-name', 'parent', '--extern', 'sharedmem=bin/obj/libsharedmem.rlib', '-o', 'bin/parent-rs.exe', 'bindings/rust/src/bin/parent.rs')
            Invoke-Step 'bin\child-rs.exe' $rustc @('--edition', '2021', '-O', '-D', 'warnings', '--crate-name', 'child', '--extern', 'sharedmem=bin/obj/libsharedmem.rlib', '-o', 'bin/child-rs.exe', 'bindings/rust/src/bin/child.rs')
            $script:built += 'bin\parent-rs.exe', 'bin\child-rs.exe'
        } else {
            Write-Output "skipped  bin\parent-rs.exe, bin\child-rs.exe: $rustc is not on PATH (https://rustup.rs)"
        }
    }
} finally {
    # A $null value removes the variable: one that was unset is unset again.
    foreach ($name in $saved.Keys) {
        [Environment]::SetEnvironmentVariable($name, $saved[$name], 'Process')
    }
    Pop-Location
}

Write-Output ('built {0} in {1:0.0}s' -f ($built -join ' '), $all.Elapsed.TotalSeconds)
