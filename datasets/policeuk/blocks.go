package policeuk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// BlockSize is the size of the blocks the reader cuts its input into: a
// block ends at the last line end outside quotes, so that it holds whole
// records.
const BlockSize = 4 << 20

// block is a run of whole records (the last block may end without a line
// end, or inside quotes).
type block struct {
	seq     int
	buf     *[]byte // backing array, returned to the pool when refs reach 0
	data    []byte
	skip    int  // bytes before the first data row (block 0: BOM and header)
	tooLong bool // data is the start of one record already over MaxRecordSize
	refs    atomic.Int32
	tokens  chan struct{} // if not nil, the last release takes a token from it
}

// release drops one reference; the last returns the buffer to the pool.
func (b *block) release() {
	if b.refs.Add(-1) != 0 {
		return
	}
	if b.buf != nil {
		putBuf(b.buf)
		b.buf, b.data = nil, nil
	}
	if b.tokens != nil {
		<-b.tokens
	}
}

var bufPool sync.Pool // *[]byte

func getBuf(size int) *[]byte {
	if p, ok := bufPool.Get().(*[]byte); ok {
		if cap(*p) >= size {
			*p = (*p)[:0]
			return p
		}
	}
	b := make([]byte, 0, size)
	return &b
}

func putBuf(p *[]byte) {
	if cap(*p) == BlockSize { // odd sizes (tests, grown blocks) are left to the GC
		bufPool.Put(p)
	}
}

// blockReader cuts r into blocks.
type blockReader struct {
	ctx   context.Context
	name  string
	r     io.Reader
	size  int
	carry []byte // the start of the next block's first record
	seq   int
	eof   bool
	done  bool
}

// next returns the next block, or nil at the end of the input.
func (br *blockReader) next() (*block, error) {
	if br.done {
		return nil, nil
	}
	if err := br.ctx.Err(); err != nil {
		br.done = true
		return nil, fmt.Errorf("read %q: %w", br.name, err)
	}
	p := getBuf(max(br.size, 2*len(br.carry)))
	buf := append(*p, br.carry...)
	zero := 0
	for {
		for len(buf) < cap(buf) && !br.eof {
			n, err := br.r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			switch {
			case errors.Is(err, io.EOF):
				br.eof = true
			case err != nil:
				br.done = true
				return nil, fmt.Errorf("read %q: %w", br.name, err)
			case n == 0:
				if zero++; zero > 100 {
					br.done = true
					return nil, fmt.Errorf("read %q: %w", br.name, io.ErrNoProgress)
				}
			}
		}
		b := &block{seq: br.seq, buf: p}
		if br.eof {
			br.done = true
			if len(buf) == 0 {
				return nil, nil
			}
			*p, b.data = buf, buf
			br.seq++
			return b, nil
		}
		if cut := lastRecordEnd(buf); cut >= 0 {
			br.carry = append(br.carry[:0], buf[cut:]...)
			*p, b.data = buf, buf[:cut]
			br.seq++
			return b, nil
		}
		if len(buf) > MaxRecordSize {
			br.done = true
			*p, b.data, b.tooLong = buf, buf, true
			br.seq++
			return b, nil
		}
		// One record fills the buffer: grow it.
		bigger := make([]byte, len(buf), 2*cap(buf))
		copy(bigger, buf)
		putBuf(p)
		buf, p = bigger, &bigger
	}
}

// lastRecordEnd returns the index just after the last '\n' of buf that is
// outside quotes (buf starts at a record's start), or -1.
func lastRecordEnd(buf []byte) int {
	q := bytes.Count(buf, quoteSep)
	end := len(buf)
	for {
		i := bytes.LastIndexByte(buf[:end], '\n')
		if i < 0 {
			return -1
		}
		q -= bytes.Count(buf[i:end], quoteSep)
		if q%2 == 0 {
			return i + 1
		}
		end = i
	}
}
