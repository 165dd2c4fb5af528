using System.Diagnostics;

namespace TrailResponder.Tests.Template;

public class CfnLintTests
{
    [Fact]
    public async Task The_template_transforms_with_the_SAM_translator_and_passes_cfn_lint_with_informational_checks()
    {
        // cfn-lint runs AWS's own SAM translator and the CloudFormation resource schemas: the closest to "sam validate"
        // without the SAM CLI. It ships with the project's machine image (pip); elsewhere: pip install cfn-lint.
        var start = new ProcessStartInfo("cfn-lint")
        {
            WorkingDirectory = SamTemplate.FindRepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--include-checks", "I", "--", "template.yaml" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"cfn-lint is not installed ({e.Message}); install it with: pip install cfn-lint");
            return;
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, $"cfn-lint exited {process.ExitCode}:{Environment.NewLine}{output}{await error}");
        }
    }
}
