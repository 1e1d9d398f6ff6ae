package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

// validateCompose loads the file the way `docker compose config` does: interpolation, the
// Compose spec JSON schema, and cross-references (depends_on, volumes, networks, configs).
func validateCompose(ctx context.Context, file string) error {
	opts, err := cli.NewProjectOptions([]string{file},
		cli.WithName("hangarstack"),
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return err
	}
	project, err := opts.LoadProject(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fmt.Printf("compose: %d services valid (%v)\n", len(project.Services), project.ServiceNames())
	return nil
}
