using System.CommandLine;
using Sharptrace.Cli;

return CliApp.Run(args);
