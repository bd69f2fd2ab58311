#include "featpipe/classify/row_source.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace featpipe::classify {

void MatrixSource::read_rows(uint64_t begin, uint64_t count, float* out) const {
  std::copy_n(span_.rows + begin * dim_, count * dim_, out);
}

const float* rows_in_place(const RowSource& source, uint64_t begin, uint64_t count) {
  const RowSpan* span = data::span_of(source.in_place(), begin);
  if (!span || begin + count > span->first + span->count) return nullptr;
  return span->rows + (begin - span->first) * source.dim();
}

std::vector<RowSpan> in_place_blocks(const RowSource& source, uint64_t block_rows) {
  block_rows = std::max<uint64_t>(1, block_rows);
  std::vector<RowSpan> blocks;
  for (const RowSpan& span : source.in_place()) {
    for (uint64_t at = 0; at < span.count; at += block_rows)
      blocks.push_back(
          {span.first + at, std::min(block_rows, span.count - at), span.rows + at * source.dim()});
  }
  return blocks;
}

struct BlockReader::State {
  State(const RowSource& s, uint64_t rows_per_block)
      : source(s),
        block_rows(std::max<uint64_t>(1, rows_per_block)),
        blocks((s.rows() + block_rows - 1) / block_rows) {}

  const RowSource& source;
  uint64_t block_rows, blocks;
  std::vector<float> buffers[2];  // block b goes to buffers[b % 2]
  std::mutex mutex;
  std::condition_variable changed;
  uint64_t read = 0;      // blocks read
  uint64_t returned = 0;  // blocks given to the consumer, who is done with all of them but the last
  bool stop = false;
  std::exception_ptr error;
  std::thread thread;

  uint64_t count(uint64_t b) const { return std::min(block_rows, source.rows() - b * block_rows); }

  void read_all() {
    for (uint64_t b = 0; b < blocks; ++b) {
      {
        // buffers[b % 2] is free once block b - 2 is done with, that is once block b - 1 is returned
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop || b < 2 || b - 1 < returned; });
        if (stop) return;
      }
      try {
        source.read_rows(b * block_rows, count(b), buffers[b % 2].data());
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        error = std::current_exception();
        changed.notify_all();
        return;
      }
      std::lock_guard<std::mutex> lock(mutex);
      read = b + 1;
      changed.notify_all();
    }
  }
};

BlockReader::BlockReader(const RowSource& source, uint64_t block_rows)
    : state_(std::make_unique<State>(source, block_rows)) {
  State& s = *state_;
  const uint64_t floats = std::min(s.block_rows, source.rows()) * source.dim();
  s.buffers[0].resize(floats);
  if (s.blocks > 1) s.buffers[1].resize(floats);
  s.thread = std::thread([&s] { s.read_all(); });
}

BlockReader::~BlockReader() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
    state_->changed.notify_all();
  }
  state_->thread.join();
}

bool BlockReader::next(const float** rows, uint64_t* begin, uint64_t* count) {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mutex);
  if (s.returned == s.blocks) return false;
  s.changed.wait(lock, [&] { return s.read > s.returned || s.error; });
  if (s.read <= s.returned) std::rethrow_exception(s.error);
  const uint64_t b = s.returned++;
  s.changed.notify_all();  // the block returned before this one is done with: its buffer is free
  *rows = s.buffers[b % 2].data();
  *begin = b * s.block_rows;
  *count = s.count(b);
  return true;
}

}  // namespace featpipe::classify
