// Command validate checks HangarStack's deployment artefacts offline:
//
//	validate k8s <file.yaml>...   strict-decodes every manifest into the real k8s.io/api types
//	                              (unknown or mistyped fields fail) and checks our own invariants
//	validate dockerfile <file> <ctx> parses with BuildKit's Dockerfile frontend and linter
//	validate compose <compose.yaml> loads the file with compose-go (the Compose spec's own loader
//	                              and JSON schema, as `docker compose config` does)
//
// It exists because there is no internet for kubeconform's schema download and no Docker engine here.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: validate k8s <file.yaml>... | validate dockerfile <Dockerfile> <context> | validate compose <compose.yaml>")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "k8s":
		err = validateK8s(os.Args[2:])
	case "dockerfile":
		if len(os.Args) != 4 {
			err = fmt.Errorf("usage: validate dockerfile <Dockerfile> <build context dir>")
		} else {
			err = validateDockerfile(os.Args[2], os.Args[3])
		}
	case "compose":
		err = validateCompose(context.Background(), os.Args[2])
	default:
		err = fmt.Errorf("unknown subcommand %q (want k8s, dockerfile or compose)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "validate:", err)
		os.Exit(1)
	}
}
