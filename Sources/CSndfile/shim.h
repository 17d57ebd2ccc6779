#ifndef SOUNDLOC_CSNDFILE_SHIM_H
#define SOUNDLOC_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
