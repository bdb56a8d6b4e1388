// Package templates holds the embedded templates shmemgen renders. The tree
// under project/ mirrors the generated project: project/dll/user.go.tmpl
// becomes dll/user.go. Every file ends in .tmpl so that Go tooling never
// mistakes a template for source (a literal go.mod here would even cut the
// tree out of this module).
package templates

import "embed"

// FS is the embedded template tree. The all: prefix keeps .github and
// .gitignore, which embed would otherwise skip.
//
//go:embed all:project
var FS embed.FS

// Root is the directory in FS that maps onto the project's root.
const Root = "project"
