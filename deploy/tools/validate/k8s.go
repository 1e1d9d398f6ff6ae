package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// typeMeta is read first to pick the Go type for the strict decode.
type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

// newObject returns an empty object of the real API type for apiVersion/kind.
func newObject(apiVersion, kind string) (any, error) {
	switch apiVersion + "/" + kind {
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}, nil
	case "v1/Service":
		return &corev1.Service{}, nil
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}, nil
	case "v1/Secret":
		return &corev1.Secret{}, nil
	case "v1/Namespace":
		return &corev1.Namespace{}, nil
	case "v1/PersistentVolumeClaim":
		return &corev1.PersistentVolumeClaim{}, nil
	case "autoscaling/v2/HorizontalPodAutoscaler":
		return &autoscalingv2.HorizontalPodAutoscaler{}, nil
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}, nil
	case "batch/v1/Job":
		return &batchv1.Job{}, nil
	}
	return nil, fmt.Errorf("unsupported apiVersion/kind %s %s (add it to newObject in deploy/tools/validate/k8s.go)", apiVersion, kind)
}

func validateK8s(files []string) error {
	var problems []string
	count := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		for i, doc := range bytes.Split(raw, []byte("\n---")) {
			if len(bytes.TrimSpace(stripComments(doc))) == 0 {
				continue
			}
			where := fmt.Sprintf("%s document %d", file, i+1)
			var meta typeMeta
			if err := yaml.Unmarshal(doc, &meta); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", where, err))
				continue
			}
			obj, err := newObject(meta.APIVersion, meta.Kind)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", where, err))
				continue
			}
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				problems = append(problems, fmt.Sprintf("%s (%s %s): %v", where, meta.Kind, meta.Metadata.Name, err))
				continue
			}
			for _, p := range checkObject(meta.Metadata.Name, obj) {
				problems = append(problems, fmt.Sprintf("%s (%s %s): %s", where, meta.Kind, meta.Metadata.Name, p))
			}
			count++
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	fmt.Printf("k8s: %d objects valid\n", count)
	return nil
}

func stripComments(doc []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(doc, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		out = append(out, line)
	}
	return bytes.Join(out, []byte("\n"))
}

// checkObject enforces what the API types cannot: required fields and our own operating rules
// (probes, limits, non-root) so a manifest that decodes but would misbehave still fails.
func checkObject(name string, obj any) []string {
	var p []string
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		p = append(p, "metadata.name: "+strings.Join(errs, "; "))
	}
	switch o := obj.(type) {
	case *appsv1.Deployment:
		if o.Spec.Selector == nil || len(o.Spec.Selector.MatchLabels) == 0 {
			p = append(p, "spec.selector.matchLabels is required")
		}
		for k, v := range o.Spec.Selector.MatchLabels {
			if o.Spec.Template.Labels[k] != v {
				p = append(p, fmt.Sprintf("selector %s=%s does not match the pod template labels", k, v))
			}
		}
		if len(o.Spec.Template.Spec.Containers) == 0 {
			p = append(p, "no containers")
		}
		for _, c := range o.Spec.Template.Spec.Containers {
			if c.Image == "" {
				p = append(p, c.Name+": image is required")
			}
			if c.LivenessProbe == nil || c.ReadinessProbe == nil {
				p = append(p, c.Name+": liveness and readiness probes are required")
			}
			if c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
				p = append(p, c.Name+": resources.limits.memory and resources.requests.cpu are required")
			}
			sc := c.SecurityContext
			if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
				p = append(p, c.Name+": securityContext.runAsNonRoot: true is required")
			}
		}
	case *batchv1.Job:
		// A run-to-completion job has no probes, but must end (deadline), retry boundedly and not run as root.
		if rp := o.Spec.Template.Spec.RestartPolicy; rp != corev1.RestartPolicyOnFailure && rp != corev1.RestartPolicyNever {
			p = append(p, "spec.template.spec.restartPolicy must be OnFailure or Never")
		}
		if o.Spec.BackoffLimit == nil || o.Spec.ActiveDeadlineSeconds == nil {
			p = append(p, "spec.backoffLimit and spec.activeDeadlineSeconds are required (a job must end)")
		}
		if len(o.Spec.Template.Spec.Containers) == 0 {
			p = append(p, "no containers")
		}
		for _, c := range o.Spec.Template.Spec.Containers {
			if c.Image == "" {
				p = append(p, c.Name+": image is required")
			}
			if c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
				p = append(p, c.Name+": resources.limits.memory and resources.requests.cpu are required")
			}
			if sc := c.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
				p = append(p, c.Name+": securityContext.runAsNonRoot: true is required")
			}
		}
	case *corev1.Service:
		if len(o.Spec.Ports) == 0 || len(o.Spec.Selector) == 0 {
			p = append(p, "spec.ports and spec.selector are required")
		}
	case *autoscalingv2.HorizontalPodAutoscaler:
		if o.Spec.ScaleTargetRef.Name == "" || o.Spec.MaxReplicas < 1 {
			p = append(p, "spec.scaleTargetRef.name and spec.maxReplicas are required")
		}
	case *policyv1.PodDisruptionBudget:
		if o.Spec.Selector == nil || (o.Spec.MinAvailable == nil && o.Spec.MaxUnavailable == nil) {
			p = append(p, "spec.selector and one of minAvailable/maxUnavailable are required")
		}
	}
	return p
}
