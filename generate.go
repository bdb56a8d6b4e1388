package main

// The examples are two golden cases, checked in where readers look first;
// gen's TestExamplesCurrent fails when they drift.
//go:generate go run . new --force --out examples/basic
//go:generate go run . new --force --out examples/custom --name Local\Telemetry --size 1MiB --set PutText --get TakeText --dll telemetry --module github.com/acme/telemetry
