# Builds shmem.dll, its header and both pairs of host programs into bin\
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
Invoke-Native go @('build', '-buildmode=c-shared', '-trimpath', '-o', 'bin/shmem.dll', './dll')

# The C hosts link against the DLL itself and include the header cgo wrote.
Invoke-Native $cc @('-O2', '-Wall', '-Wextra', '-municode', '-Ibin', '-o', 'bin/parent.exe', 'hosts/c/parent.c', 'bin/shmem.dll')
Invoke-Native $cc @('-O2', '-Wall', '-Wextra', '-municode', '-Ibin', '-o', 'bin/child.exe', 'hosts/c/child.c', 'bin/shmem.dll')

$env:CGO_ENABLED = '0'
Invoke-Native go @('build', '-trimpath', '-o', 'bin/parent-go.exe', './hosts/go/parent')
Invoke-Native go @('build', '-trimpath', '-o', 'bin/child-go.exe', './hosts/go/child')

Write-Output 'built bin\shmem.dll bin\shmem.h bin\parent.exe bin\child.exe bin\parent-go.exe bin\child-go.exe'
