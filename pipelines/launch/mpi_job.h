#pragma once
// Private to the featpipe executable: joins the MPI job that started the process, for as long as the
// object lives. A process started without a launcher stays alone and never initialises MPI (a singleton
// MPI_Init costs a third of a second, and every serial run would pay it).
namespace featpipe::pipelines {

class MpiJob {
 public:
  MpiJob(int& argc, char**& argv);
  ~MpiJob();
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;

 private:
  bool joined_ = false;
};

}  // namespace featpipe::pipelines
