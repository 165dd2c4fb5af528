using System.CommandLine;

var root = new RootCommand("TrailResponder: detect, validate and respond to what CloudTrail records.");
root.Subcommands.Add(TrailResponder.Cli.ValidateCommand.Create());
return root.Parse(args).Invoke();
