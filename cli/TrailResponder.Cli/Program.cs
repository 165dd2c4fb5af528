using System.CommandLine;

var root = new RootCommand("TrailResponder: detect, validate and respond to what CloudTrail records.");
return root.Parse(args).Invoke();
