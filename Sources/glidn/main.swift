import GLIDNCLI

GLIDNCommand.bootstrapLogging()
GLIDNCommand.main()
