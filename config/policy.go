package config

import (
	"fmt"
	"reflect"
)

// Policy is what a project allows its scripts to do. wrklint stops
// reporting what is allowed, and wrkrun's sandbox enforces it at run time,
// from the same value: the file's allow section merged with the command
// line's --allow-* flags.
type Policy struct {
	// Env are names os.getenv may read (globs with * and ?).
	Env []string
	// Read and Write are path patterns (MatchPath) io.open and io.lines
	// may read, and io.open and io.output may write.
	Read  []string
	Write []string
	// Modules are names require may load (globs with * and ?).
	Modules []string
}

// AllowsEnv reports whether the environment variable name is allowed.
func (p *Policy) AllowsEnv(name string) bool { return anyName(p.Env, name) }

// AllowsRead reports whether the file may be read.
func (p *Policy) AllowsRead(file string) bool { return anyPath(p.Read, file) }

// AllowsWrite reports whether the file may be written.
func (p *Policy) AllowsWrite(file string) bool { return anyPath(p.Write, file) }

// AllowsModule reports whether require of the module is allowed.
func (p *Policy) AllowsModule(name string) bool { return anyName(p.Modules, name) }

// Merge returns p with o's allowances added, in new slices (neither
// argument is modified). It walks the struct's fields by reflection so
// that an allow-list added to Policy later cannot be dropped silently: a
// field of a kind it does not know how to merge panics, and the package's
// tests fill every field.
func (p Policy) Merge(o Policy) Policy {
	var out Policy
	pv, ov, rv := reflect.ValueOf(p), reflect.ValueOf(o), reflect.ValueOf(&out).Elem()
	for i := range rv.NumField() {
		f := rv.Field(i)
		if f.Kind() != reflect.Slice {
			panic(fmt.Sprintf("config: Policy.Merge cannot merge field %s of kind %s", rv.Type().Field(i).Name, f.Kind()))
		}
		a, b := pv.Field(i), ov.Field(i)
		if a.Len()+b.Len() == 0 {
			continue
		}
		merged := reflect.MakeSlice(f.Type(), 0, a.Len()+b.Len())
		merged = reflect.AppendSlice(merged, a)
		merged = reflect.AppendSlice(merged, b)
		f.Set(merged)
	}
	return out
}

func anyName(patterns []string, s string) bool {
	for _, pat := range patterns {
		if matchName(pat, s) {
			return true
		}
	}
	return false
}

func anyPath(patterns []string, file string) bool {
	for _, pat := range patterns {
		if MatchPath(pat, file) {
			return true
		}
	}
	return false
}
