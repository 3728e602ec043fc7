//go:build !unix

package analyzer

import "os"

// rawFile is an *os.File where plain system calls are not used.
type rawFile struct{ f *os.File }

func openFile(path string) (rawFile, error) {
	f, err := os.Open(path)
	return rawFile{f}, err
}

func (f rawFile) read(b []byte) (int, error) { return f.f.Read(b) }

func (f rawFile) size() (int64, error) {
	fi, err := f.f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func (f rawFile) close() { _ = f.f.Close() }
