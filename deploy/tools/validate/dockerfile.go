package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// validateDockerfile parses with BuildKit's own Dockerfile frontend (the parser and instruction
// checks `docker build` runs, plus its build-check linter), then checks our rules: every
// stage that ends in CMD runs as a non-root USER with a HEALTHCHECK, and every COPY source
// (not --from a stage) exists under the build context.
func validateDockerfile(file, context string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	ast, err := parser.Parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var problems []string
	for _, w := range ast.Warnings {
		problems = append(problems, fmt.Sprintf("%s:%d: %s", file, w.Location.Start.Line, w.Short))
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _ string, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", file, line, rule, msg))
	}})
	stages, _, err := instructions.Parse(ast.AST, lint)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	stageNames := map[string]bool{}
	for _, stage := range stages {
		user, health, cmd := "", false, false
		if base := strings.ToLower(stage.BaseName); stageNames[base] {
			// Inherits USER/HEALTHCHECK from our own earlier stage.
			user, health = inherited[base].user, inherited[base].health
		}
		for _, cmdI := range stage.Commands {
			switch c := cmdI.(type) {
			case *instructions.UserCommand:
				user = c.User
			case *instructions.HealthCheckCommand:
				health = true
			case *instructions.CmdCommand:
				cmd = true
			case *instructions.CopyCommand:
				if c.From != "" {
					if !stageNames[strings.ToLower(c.From)] {
						problems = append(problems, fmt.Sprintf("%s: stage %s: COPY --from=%s names no earlier stage", file, stage.Name, c.From))
					}
					continue
				}
				for _, src := range c.SourcePaths {
					if _, err := os.Stat(filepath.Join(context, src)); err != nil {
						problems = append(problems, fmt.Sprintf("%s: stage %s: COPY source %q does not exist in the build context %s", file, stage.Name, src, context))
					}
				}
			}
		}
		name := strings.ToLower(stage.Name)
		stageNames[name] = true
		inherited[name] = stageFacts{user, health}
		if cmd && (user == "" || user == "root" || strings.HasPrefix(user, "0")) {
			problems = append(problems, fmt.Sprintf("%s: stage %s runs as root: add a USER", file, stage.Name))
		}
		if cmd && !health {
			problems = append(problems, fmt.Sprintf("%s: stage %s has no HEALTHCHECK", file, stage.Name))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	fmt.Printf("dockerfile: %s: %d stages valid\n", file, len(stages))
	return nil
}

type stageFacts struct {
	user   string
	health bool
}

var inherited = map[string]stageFacts{}
