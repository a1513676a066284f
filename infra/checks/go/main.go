// Command buergerservice-checks: the static checks that need Go libraries.
//
//	buergerservice-checks compose REPO_ROOT FILE...
//
// loads each compose file with compose-go, the library `docker compose` itself
// uses (schema validation of the Compose Specification, interpolation, merge of
// YAML anchors, references between services, volumes and networks), without a
// container engine. On top it checks what compose-go leaves to the engine:
// bind-mounted files, build contexts and Dockerfiles exist in the repository.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func main() {
	if len(os.Args) < 4 || os.Args[1] != "compose" {
		fmt.Fprintln(os.Stderr, "usage: buergerservice-checks compose REPO_ROOT FILE...")
		os.Exit(2)
	}
	root, err := filepath.Abs(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	failed := false
	for _, file := range os.Args[3:] {
		if problems := checkCompose(root, file); len(problems) > 0 {
			failed = true
			for _, p := range problems {
				fmt.Printf("  FAIL %s: %s\n", file, p)
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

func checkCompose(root, file string) []string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return []string{err.Error()}
	}
	// Only the file's own defaults: a developer's environment must not make
	// the check pass or fail.
	opts, err := cli.NewProjectOptions(
		[]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithEnv([]string{}),
		cli.WithInterpolation(true),
		cli.WithResolvedPaths(true),
		cli.WithConsistency(true),
	)
	if err != nil {
		return []string{err.Error()}
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return []string{err.Error()}
	}

	var problems []string
	names := make([]string, 0, len(project.Services))
	for name := range project.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		svc := project.Services[name]
		if svc.Image == "" && svc.Build == nil {
			problems = append(problems, fmt.Sprintf("service %s has neither image nor build", name))
		}
		if svc.Build != nil {
			if !isDir(svc.Build.Context) {
				problems = append(problems, fmt.Sprintf("service %s: build context %s does not exist", name, svc.Build.Context))
			}
			dockerfile := svc.Build.Dockerfile
			if !filepath.IsAbs(dockerfile) {
				dockerfile = filepath.Join(svc.Build.Context, dockerfile)
			}
			if !isFile(dockerfile) {
				problems = append(problems, fmt.Sprintf("service %s: Dockerfile %s does not exist", name, dockerfile))
			}
		}
		if svc.Image != "" && !strings.Contains(lastPathElement(svc.Image), ":") && !strings.Contains(svc.Image, "@") {
			problems = append(problems, fmt.Sprintf("service %s: image %s is not pinned to a tag", name, svc.Image))
		}
		for _, v := range svc.Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			// Host paths outside the repository (the Docker log directory) are
			// the engine's business; files of the repository must exist.
			if strings.HasPrefix(v.Source, root+string(filepath.Separator)) && !exists(v.Source) {
				problems = append(problems, fmt.Sprintf("service %s: bind mount source %s does not exist", name, v.Source))
			}
		}
		for _, p := range svc.Ports {
			if p.HostIP != "127.0.0.1" {
				problems = append(problems, fmt.Sprintf("service %s: port %d is published on %q, not on 127.0.0.1", name, p.Target, p.HostIP))
			}
		}
	}
	fmt.Printf("  ok: %s: %d services (%s)\n", file, len(names), strings.Join(names, ", "))
	return problems
}

func lastPathElement(image string) string {
	parts := strings.Split(image, "/")
	return parts[len(parts)-1]
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}
