# Builds hostile.dll, its header and both pairs of host programs into bin\
# on Windows, with Go and a MinGW-w64 gcc on PATH. Override the C compiler
# with $env:CC.
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

$cc = if ($env:CC) { $env:CC } else { 'gcc' }
New-Item -ItemType Directory -Force -Path bin | Out-Null
$env:GOOS = 'windows'
$env:GOARCH = 'amd64'

# The DLL records the name it is built under: build it under its final name.
$env:CGO_ENABLED = '1'
$env:CC = $cc
# The generated exports are C, declared in dll/api.h. cgo writes a header
# only for Go exports, which dll/user.go may add: it becomes hostile_go.h.
Remove-Item -Force -ErrorAction SilentlyContinue -Path 'bin/hostile.h', 'bin/hostile_go.h'
# Without a Go export, Go's linker would export a placeholder,
# _cgo_stub_export; these flags stop it writing its export list, so that the
# DLL exports exactly its dllexport functions.
$extldflags = ''
if (-not (Select-String -Quiet -Pattern '^//export ' -Path 'dll/*.go')) {
    $extldflags = '-Wl,--export-all-symbols -Wl,--exclude-all-symbols'
}
Invoke-Native go @('build', '-buildmode=c-shared', '-trimpath', '-ldflags', "-extldflags '$extldflags'", '-o', 'bin/hostile.dll', './dll')
if (Test-Path 'bin/hostile.h') {
    Move-Item -Path 'bin/hostile.h' -Destination 'bin/hostile_go.h'
}
Copy-Item -Force -Path 'dll/api.h' -Destination 'bin/hostile.h'

# The C hosts link against the DLL itself and include its header.
Invoke-Native $cc @('-O2', '-Wall', '-Wextra', '-municode', '-Ibin', '-o', 'bin/parent.exe', 'hosts/c/parent.c', 'bin/hostile.dll')
Invoke-Native $cc @('-O2', '-Wall', '-Wextra', '-municode', '-Ibin', '-o', 'bin/child.exe', 'hosts/c/child.c', 'bin/hostile.dll')

$env:CGO_ENABLED = '0'
Invoke-Native go @('build', '-trimpath', '-o', 'bin/parent-go.exe', './hosts/go/parent')
Invoke-Native go @('build', '-trimpath', '-o', 'bin/child-go.exe', './hosts/go/child')

Write-Output 'built bin\hostile.dll bin\hostile.h bin\parent.exe bin\child.exe bin\parent-go.exe bin\child-go.exe'
