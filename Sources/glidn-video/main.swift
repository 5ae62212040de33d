import Foundation
import GLIDNCLI
import GLIDNVideoCLI

// Line-buffered standard output, as `glidn`'s.
setvbuf(stdout, nil, _IOLBF, 0)
GLIDNCommand.bootstrapLogging()
GLIDNVideoCommand.runAsTool()
