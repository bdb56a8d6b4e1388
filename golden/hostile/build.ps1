# Builds hostile.dll, its header and both pairs of host programs into bin\
# on Windows, with Go and a MinGW-w64 gcc on PATH. Override the C compiler
# with $env:CC, its flags with $env:CFLAGS and MinGW's dlltool with
# $env:DLLTOOL. Each step prints a line as it starts and one with its time
# when it ends. Where MSVC's lib.exe is on PATH (a Developer PowerShell), it
# also makes the MSVC import library bin\hostile.lib. The GOOS, GOARCH,
# CGO_ENABLED and CC it sets are put back as they were when it ends, even on
# failure: ./build.ps1 runs in your session and must not leave it
# cross-compiling.
$ErrorActionPreference = 'Stop'
Set-Location -Path $PSScriptRoot

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

$cc = if ($env:CC) { $env:CC } else { 'gcc' }
$dlltool = if ($env:DLLTOOL) { $env:DLLTOOL } else { 'dlltool' }
$cflags = if ($env:CFLAGS) { -split $env:CFLAGS } else { @('-O2', '-Wall', '-Wextra') }
$saved = @{}
foreach ($name in 'GOOS', 'GOARCH', 'CGO_ENABLED', 'CC') {
    $saved[$name] = [Environment]::GetEnvironmentVariable($name, 'Process')
}
$all = [Diagnostics.Stopwatch]::StartNew()
try {
    New-Item -ItemType Directory -Force -Path bin | Out-Null
    $env:GOOS = 'windows'
    $env:GOARCH = 'amd64'

    # The DLL records the name it is built under: build it under its final name.
    $env:CGO_ENABLED = '1'
    $env:CC = $cc
    # The generated exports are C, declared in dll/api.h. cgo writes a header
    # only for Go exports, which dll/user.go may add: it becomes hostile_go.h.
    # Without a Go export, Go's linker would export a placeholder,
    # _cgo_stub_export; the extldflags stop it writing its export list, so
    # that the DLL exports exactly its dllexport functions.
    $extldflags = ''
    if (-not (Select-String -Quiet -Pattern '^//export ' -Path 'dll/*.go')) {
        $extldflags = '-Wl,--export-all-symbols -Wl,--exclude-all-symbols'
    }
    Remove-Item -Force -ErrorAction SilentlyContinue -Path 'bin/hostile.h', 'bin/hostile_go.h'
    Invoke-Step 'bin\hostile.dll' go @('build', '-buildmode=c-shared', '-trimpath', '-ldflags', "-extldflags '$extldflags'", '-o', 'bin/hostile.dll', './dll')
    if (Test-Path 'bin/hostile.h') {
        Move-Item -Path 'bin/hostile.h' -Destination 'bin/hostile_go.h'
    }
    Copy-Item -Force -Path 'dll/api.h' -Destination 'bin/hostile.h'

    # The import libraries, for linkers that want one rather than the DLL
    # itself, made from the module-definition file dll/exports.def: MinGW's
    # (-Lbin -lhostile) and, where lib.exe is on PATH, MSVC's.
    Copy-Item -Force -Path 'dll/exports.def' -Destination 'bin/hostile.def'
    Invoke-Step 'bin\libhostile.dll.a' $dlltool @('--input-def', 'bin/hostile.def', '--dllname', 'hostile.dll', '--output-lib', 'bin/libhostile.dll.a')
    if (Get-Command 'lib.exe' -ErrorAction SilentlyContinue) {
        Invoke-Step 'bin\hostile.lib' 'lib.exe' @('/nologo', '/def:bin\hostile.def', '/machine:x64', '/out:bin\hostile.lib')
    } else {
        Write-Output 'skipped  bin\hostile.lib: lib.exe, MSVC''s librarian, is not on PATH (run from a Developer PowerShell to make it)'
    }

    # The C hosts link against the DLL itself and include its header.
    Invoke-Step 'bin\parent.exe' $cc ($cflags + @('-municode', '-Ibin', '-o', 'bin/parent.exe', 'hosts/c/parent.c', 'bin/hostile.dll'))
    Invoke-Step 'bin\child.exe' $cc ($cflags + @('-municode', '-Ibin', '-o', 'bin/child.exe', 'hosts/c/child.c', 'bin/hostile.dll'))

    $env:CGO_ENABLED = '0'
    Invoke-Step 'bin\parent-go.exe' go @('build', '-trimpath', '-o', 'bin/parent-go.exe', './hosts/go/parent')
    Invoke-Step 'bin\child-go.exe' go @('build', '-trimpath', '-o', 'bin/child-go.exe', './hosts/go/child')
} finally {
    foreach ($name in $saved.Keys) {
        [Environment]::SetEnvironmentVariable($name, $saved[$name], 'Process')
    }
}

Write-Output ('built bin\hostile.dll bin\hostile.h bin\hostile.def bin\libhostile.dll.a bin\parent.exe bin\child.exe bin\parent-go.exe bin\child-go.exe in {0:0.0}s' -f $all.Elapsed.TotalSeconds)
